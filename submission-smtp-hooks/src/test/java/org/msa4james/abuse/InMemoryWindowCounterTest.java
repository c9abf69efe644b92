package org.msa4james.abuse;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class InMemoryWindowCounterTest implements WindowCounterContract {
    private final MutableClock clock = new MutableClock(START);
    private final InMemoryWindowCounter counter = new InMemoryWindowCounter(clock, 100, Duration.ofDays(1));

    @Override
    public MutableClock clock() {
        return clock;
    }

    @Override
    public WindowCounter counter() {
        return counter;
    }

    @Test
    void memoryShouldBeBoundedByTheMaximumNumberOfKeys() {
        for (int i = 0; i < 1000; i++) {
            counter.add("key-" + i, 1, TEN_MINUTES);
        }

        assertThat(counter.size()).isLessThanOrEqualTo(100);
        assertThat(counter.get("key-999", TEN_MINUTES).count()).isEqualTo(1);
    }

    @Test
    void idleKeysShouldBeForgottenAfterTheRetention() {
        InMemoryWindowCounter shortRetention = new InMemoryWindowCounter(clock, 100, Duration.ofMinutes(30));
        shortRetention.add("a", 1, TEN_MINUTES);
        clock.advance(Duration.ofMinutes(31));

        assertThat(shortRetention.size()).isZero();
    }
}
