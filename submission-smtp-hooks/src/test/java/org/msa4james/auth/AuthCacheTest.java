package org.msa4james.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;

import org.apache.james.core.Username;
import org.junit.jupiter.api.Test;
import org.msa4james.abuse.MutableClock;

class AuthCacheTest {
    private static final Username ALICE = Username.of("alice@example.test");
    private static final Username BOB = Username.of("bob@example.test");
    private static final String STORED = "alice@example.test\u0000PBKDF2-SHA512\u0000c3RvcmVk";
    private static final String CHANGED = "alice@example.test\u0000PBKDF2-SHA512\u0000Y2hhbmdlZA==";

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-28T19:15:00Z"));
    private final AuthCache cache = new AuthCache(Duration.ofMinutes(5), 3, clock);

    @Test
    void aRememberedPasswordShouldBeRecognised() {
        cache.remember(ALICE, STORED, "secret");

        assertThat(cache.recognises(ALICE, STORED, "secret")).isTrue();
    }

    @Test
    void nothingShouldBeRecognisedBeforeASuccess() {
        assertThat(cache.recognises(ALICE, STORED, "secret")).isFalse();
    }

    @Test
    void anotherPasswordShouldNeverBeRecognised() {
        cache.remember(ALICE, STORED, "secret");

        assertThat(cache.recognises(ALICE, STORED, "Secret")).isFalse();
        assertThat(cache.recognises(ALICE, STORED, "secret ")).isFalse();
        assertThat(cache.recognises(ALICE, STORED, "")).isFalse();
    }

    @Test
    void aWrongPasswordShouldLeaveTheEntryInPlace() {
        cache.remember(ALICE, STORED, "secret");

        cache.recognises(ALICE, STORED, "guess");

        assertThat(cache.recognises(ALICE, STORED, "secret")).isTrue();
        assertThat(cache.size()).isEqualTo(1);
    }

    @Test
    void aChangedStoredCredentialShouldNotBeRecognised() {
        cache.remember(ALICE, STORED, "secret");

        assertThat(cache.recognises(ALICE, CHANGED, "secret")).isFalse();
    }

    @Test
    void thePasswordOfOneUserShouldNotBeRecognisedForAnother() {
        cache.remember(ALICE, STORED, "secret");

        assertThat(cache.recognises(BOB, STORED, "secret")).isFalse();
    }

    @Test
    void theFieldsShouldNotRunIntoEachOther() {
        cache.remember(ALICE, "stored", "secret");

        assertThat(cache.recognises(ALICE, "storeds", "ecret")).isFalse();
        assertThat(cache.recognises(ALICE, "store", "dsecret")).isFalse();
    }

    @Test
    void anEntryShouldExpireAfterTheTimeToLive() {
        cache.remember(ALICE, STORED, "secret");

        clock.advance(Duration.ofMinutes(5).minusSeconds(1));
        assertThat(cache.recognises(ALICE, STORED, "secret")).isTrue();
        clock.advance(Duration.ofSeconds(1));
        assertThat(cache.recognises(ALICE, STORED, "secret")).isFalse();
        assertThat(cache.size()).isZero();
    }

    @Test
    void usingAnEntryShouldNotProlongIt() {
        cache.remember(ALICE, STORED, "secret");
        for (int minute = 0; minute < 4; minute++) {
            clock.advance(Duration.ofMinutes(1));
            assertThat(cache.recognises(ALICE, STORED, "secret")).isTrue();
        }

        clock.advance(Duration.ofMinutes(1));

        assertThat(cache.recognises(ALICE, STORED, "secret")).isFalse();
    }

    @Test
    void theLeastRecentlyUsedUserShouldGoFirstPastTheBound() {
        Username carol = Username.of("carol@example.test");
        Username dave = Username.of("dave@example.test");
        cache.remember(ALICE, STORED, "a");
        cache.remember(BOB, STORED, "b");
        cache.remember(carol, STORED, "c");
        assertThat(cache.recognises(ALICE, STORED, "a")).isTrue();

        cache.remember(dave, STORED, "d");

        assertThat(cache.size()).isEqualTo(3);
        assertThat(cache.recognises(BOB, STORED, "b")).isFalse();
        assertThat(cache.recognises(ALICE, STORED, "a")).isTrue();
        assertThat(cache.recognises(carol, STORED, "c")).isTrue();
        assertThat(cache.recognises(dave, STORED, "d")).isTrue();
    }

    @Test
    void manyUsersShouldNeverHoldMoreThanTheBound() {
        AuthCache bounded = new AuthCache(Duration.ofMinutes(5), 100, clock);
        for (int i = 0; i < 10_000; i++) {
            bounded.remember(Username.of("user" + i + "@example.test"), STORED, "secret");
        }

        assertThat(bounded.size()).isEqualTo(100);
    }

    @Test
    void aForgottenUserShouldNotBeRecognised() {
        cache.remember(ALICE, STORED, "secret");

        cache.forget(ALICE);

        assertThat(cache.recognises(ALICE, STORED, "secret")).isFalse();
    }

    @Test
    void aZeroTimeToLiveOrBoundShouldBeRefused() {
        assertThatThrownBy(() -> new AuthCache(Duration.ZERO, 3, clock)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AuthCache(Duration.ofMinutes(1), 0, clock)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AuthCache(Duration.ofMinutes(1), AuthCache.MAX_ENTRIES_LIMIT + 1, clock))
            .isInstanceOf(IllegalArgumentException.class);
    }
}
