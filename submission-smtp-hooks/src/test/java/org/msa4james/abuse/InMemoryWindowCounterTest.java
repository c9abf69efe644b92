package org.msa4james.abuse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

class InMemoryWindowCounterTest {
    private static final Instant START = Instant.parse("2026-11-28T19:15:00Z");
    private static final Duration TEN_MINUTES = Duration.ofMinutes(10);

    private final MutableClock clock = new MutableClock(START);
    private final InMemoryWindowCounter counter = new InMemoryWindowCounter(clock, 100, Duration.ofDays(1));

    @Test
    void addShouldCountWithinTheWindowOpenedByTheFirstEvent() {
        counter.add("a", 1, TEN_MINUTES);
        clock.advance(Duration.ofMinutes(9));

        assertThat(counter.add("a", 2, TEN_MINUTES)).isEqualTo(new WindowCount(3, START.plus(TEN_MINUTES)));
    }

    @Test
    void countShouldStartAgainWhenTheWindowHasEnded() {
        counter.add("a", 5, TEN_MINUTES);
        clock.advance(TEN_MINUTES);

        assertThat(counter.get("a", TEN_MINUTES)).isEqualTo(new WindowCount(0, START.plus(Duration.ofMinutes(20))));
        assertThat(counter.add("a", 1, TEN_MINUTES)).isEqualTo(new WindowCount(1, START.plus(Duration.ofMinutes(20))));
    }

    @Test
    void getShouldNotAddAnEvent() {
        counter.add("a", 1, TEN_MINUTES);
        counter.get("a", TEN_MINUTES);

        assertThat(counter.get("a", TEN_MINUTES).count()).isEqualTo(1);
        assertThat(counter.get("unknown", TEN_MINUTES)).isEqualTo(new WindowCount(0, START.plus(TEN_MINUTES)));
    }

    @Test
    void keysShouldBeCountedApart() {
        counter.add("a", 4, TEN_MINUTES);

        assertThat(counter.add("b", 1, TEN_MINUTES).count()).isEqualTo(1);
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

    @Test
    void negativeAmountShouldBeRefused() {
        assertThatThrownBy(() -> counter.add("a", -1, TEN_MINUTES))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("amount must not be negative");
    }
}
