package org.msa4james.abuse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The window semantics every {@link WindowCounter} shares, at the window's edges: a fixed window opened by the first
 * counted event, ended at exactly start + window, a read that neither counts nor opens a window. Implemented by the
 * test of each counter, in memory and in Redis.
 */
public interface WindowCounterContract {
    Instant START = Instant.parse("2026-11-28T19:15:00Z");
    Duration TEN_MINUTES = Duration.ofMinutes(10);
    Duration MILLISECOND = Duration.ofMillis(1);

    /** The clock the counter reads, set to {@link #START} before each test. */
    MutableClock clock();

    /** A counter over {@link #clock()} with no key counted yet. */
    WindowCounter counter();

    @Test
    default void theFirstEventShouldOpenTheWindow() {
        assertThat(counter().add("a", 1, TEN_MINUTES)).isEqualTo(new WindowCount(1, START.plus(TEN_MINUTES)));
    }

    @Test
    default void eventsWithinTheWindowShouldBeCountedInIt() {
        WindowCounter counter = counter();
        counter.add("a", 1, TEN_MINUTES);
        clock().advance(Duration.ofMinutes(9));

        assertThat(counter.add("a", 2, TEN_MINUTES)).isEqualTo(new WindowCount(3, START.plus(TEN_MINUTES)));
        assertThat(counter.get("a", TEN_MINUTES)).isEqualTo(new WindowCount(3, START.plus(TEN_MINUTES)));
    }

    @Test
    default void theLastMillisecondOfTheWindowShouldStillBeInIt() {
        WindowCounter counter = counter();
        counter.add("a", 1, TEN_MINUTES);
        clock().advance(TEN_MINUTES.minus(MILLISECOND));

        assertThat(counter.get("a", TEN_MINUTES)).isEqualTo(new WindowCount(1, START.plus(TEN_MINUTES)));
        assertThat(counter.add("a", 1, TEN_MINUTES)).isEqualTo(new WindowCount(2, START.plus(TEN_MINUTES)));
    }

    @Test
    default void theWindowShouldEndExactlyAtStartPlusWindow() {
        WindowCounter counter = counter();
        counter.add("a", 5, TEN_MINUTES);
        clock().advance(TEN_MINUTES);

        assertThat(counter.get("a", TEN_MINUTES)).isEqualTo(new WindowCount(0, START.plus(TEN_MINUTES).plus(TEN_MINUTES)));
        assertThat(counter.add("a", 1, TEN_MINUTES)).isEqualTo(new WindowCount(1, START.plus(TEN_MINUTES).plus(TEN_MINUTES)));
        clock().advance(TEN_MINUTES.minus(MILLISECOND));
        assertThat(counter.get("a", TEN_MINUTES)).isEqualTo(new WindowCount(1, START.plus(TEN_MINUTES).plus(TEN_MINUTES)));
    }

    @Test
    default void aReadShouldNeitherCountNorOpenAWindow() {
        WindowCounter counter = counter();
        assertThat(counter.get("a", TEN_MINUTES)).isEqualTo(new WindowCount(0, START.plus(TEN_MINUTES)));
        clock().advance(Duration.ofMinutes(3));

        assertThat(counter.get("a", TEN_MINUTES)).isEqualTo(new WindowCount(0, START.plus(Duration.ofMinutes(13))));
        assertThat(counter.add("a", 1, TEN_MINUTES)).isEqualTo(new WindowCount(1, START.plus(Duration.ofMinutes(13))));
    }

    @Test
    default void readingAnEndedWindowShouldNotOpenTheNextOne() {
        WindowCounter counter = counter();
        counter.add("a", 4, TEN_MINUTES);
        clock().advance(Duration.ofMinutes(15));
        assertThat(counter.get("a", TEN_MINUTES)).isEqualTo(new WindowCount(0, START.plus(Duration.ofMinutes(25))));
        clock().advance(Duration.ofMinutes(2));

        assertThat(counter.add("a", 1, TEN_MINUTES)).isEqualTo(new WindowCount(1, START.plus(Duration.ofMinutes(27))));
    }

    @Test
    default void aKeyIdleForADayShouldStartAfresh() {
        WindowCounter counter = counter();
        counter.add("a", 3, Duration.ofHours(1));
        clock().advance(Duration.ofDays(1));

        assertThat(counter.add("a", 1, Duration.ofHours(1)))
            .isEqualTo(new WindowCount(1, START.plus(Duration.ofDays(1)).plus(Duration.ofHours(1))));
    }

    @Test
    default void keysShouldBeCountedApart() {
        WindowCounter counter = counter();
        counter.add("a", 4, TEN_MINUTES);
        clock().advance(Duration.ofMinutes(1));

        assertThat(counter.add("b", 1, TEN_MINUTES)).isEqualTo(new WindowCount(1, START.plus(Duration.ofMinutes(11))));
        assertThat(counter.get("a", TEN_MINUTES).count()).isEqualTo(4);
    }

    @Test
    default void largeAmountsShouldBeAdded() {
        WindowCounter counter = counter();
        counter.add("recipients:alice@example.test", 1_000_000, Duration.ofHours(1));

        assertThat(counter.add("recipients:alice@example.test", 2_500_000, Duration.ofHours(1)))
            .isEqualTo(new WindowCount(3_500_000, START.plus(Duration.ofHours(1))));
    }

    @Test
    default void severalKeysShouldBeCountedAtOnceEachInItsOwnWindow() {
        WindowCounter counter = counter();
        counter.add("messages:alice@example.test", 2, Duration.ofHours(1));
        clock().advance(Duration.ofMinutes(5));

        assertThat(counter.add(List.of("messages:alice@example.test", "recipients:alice@example.test"), List.of(0L, 0L),
            Duration.ofHours(1))).containsExactly(new WindowCount(2, START.plus(Duration.ofHours(1))),
                new WindowCount(0, START.plus(Duration.ofMinutes(65))));
        assertThat(counter.add(List.of("messages:alice@example.test", "recipients:alice@example.test"), List.of(1L, 7L),
            Duration.ofHours(1))).containsExactly(new WindowCount(3, START.plus(Duration.ofHours(1))),
                new WindowCount(7, START.plus(Duration.ofMinutes(65))));
        clock().advance(Duration.ofMinutes(55));
        assertThat(counter.add(List.of("messages:alice@example.test", "recipients:alice@example.test"), List.of(1L, 1L),
            Duration.ofHours(1))).containsExactly(new WindowCount(1, START.plus(Duration.ofMinutes(120))),
                new WindowCount(8, START.plus(Duration.ofMinutes(65))));
    }

    @Test
    default void countsAddedWithoutWaitingShouldBeSeenByTheNextCheck() {
        WindowCounter counter = counter();
        for (int i = 0; i < 50; i++) {
            counter.addWithoutWaiting(List.of("messages:alice@example.test", "recipients:alice@example.test"), List.of(1L, 3L),
                Duration.ofHours(1));
        }

        assertThat(counter.add(List.of("messages:alice@example.test", "recipients:alice@example.test"), List.of(0L, 0L),
            Duration.ofHours(1))).containsExactly(new WindowCount(50, START.plus(Duration.ofHours(1))),
                new WindowCount(150, START.plus(Duration.ofHours(1))));
    }

    @Test
    default void aNegativeAmountShouldBeRefused() {
        assertThatThrownBy(() -> counter().add("a", -1, TEN_MINUTES))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("amount must not be negative");
    }
}
