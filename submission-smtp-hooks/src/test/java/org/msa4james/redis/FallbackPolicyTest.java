package org.msa4james.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.msa4james.redis.FallbackPolicy.Decision.ASK;
import static org.msa4james.redis.FallbackPolicy.Decision.PROBE;
import static org.msa4james.redis.FallbackPolicy.Decision.SKIP;

import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class FallbackPolicyTest {
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final FallbackPolicy policy = new FallbackPolicy(nanos::get);

    private void advance(Duration duration) {
        nanos.addAndGet(duration.toNanos());
    }

    @Nested
    class BackOff {
        @Test
        void redisShouldBeAskedWhileItAnswers() {
            assertThat(policy.decide()).isEqualTo(ASK);
            assertThat(policy.succeeded(ASK)).isEmpty();
            assertThat(policy.decide()).isEqualTo(ASK);
            assertThat(policy.isDown()).isFalse();
        }

        @Test
        void aFailureShouldSkipRedisUntilTheBackOffIsOver() {
            policy.failed();

            assertThat(policy.isDown()).isTrue();
            assertThat(policy.decide()).isEqualTo(SKIP);
            advance(FallbackPolicy.BACK_OFF.minusNanos(1));
            assertThat(policy.decide()).isEqualTo(SKIP);
            advance(Duration.ofNanos(1));
            assertThat(policy.decide()).isEqualTo(PROBE);
        }

        @Test
        void onlyOneCheckShouldProbeWhileTheOthersSkip() {
            policy.failed();
            advance(FallbackPolicy.BACK_OFF);

            assertThat(policy.decide()).isEqualTo(PROBE);
            assertThat(policy.decide()).isEqualTo(SKIP);
            assertThat(policy.decide()).isEqualTo(SKIP);
        }

        @Test
        void aSuccessfulProbeShouldEndTheOutage() {
            policy.failed();
            advance(FallbackPolicy.BACK_OFF);
            FallbackPolicy.Decision probe = policy.decide();

            policy.succeeded(probe);

            assertThat(policy.isDown()).isFalse();
            assertThat(policy.decide()).isEqualTo(ASK);
        }

        @Test
        void aFailedProbeShouldStartAnotherBackOff() {
            policy.failed();
            advance(FallbackPolicy.BACK_OFF);
            assertThat(policy.decide()).isEqualTo(PROBE);

            policy.failed();

            assertThat(policy.decide()).isEqualTo(SKIP);
            advance(FallbackPolicy.BACK_OFF);
            assertThat(policy.decide()).isEqualTo(PROBE);
        }

        @Test
        void aLateAnswerToACheckAskedBeforeTheOutageShouldNotEndIt() {
            policy.failed();

            assertThat(policy.succeeded(ASK)).isEmpty();
            assertThat(policy.isDown()).isTrue();
            assertThat(policy.decide()).isEqualTo(SKIP);
        }
    }

    @Nested
    class Warnings {
        @Test
        void theFirstFailureShouldWarnAtOnce() {
            assertThat(policy.failed()).isEqualTo(OptionalLong.of(0));
        }

        @Test
        void furtherFailuresShouldWarnOnceAMinuteWithTheFallbacksSinceTheLastWarning() {
            policy.failed();
            for (int i = 0; i < 11; i++) {
                advance(FallbackPolicy.BACK_OFF);
                policy.fellBack();
                policy.fellBack();
                assertThat(policy.decide()).isEqualTo(PROBE);
                assertThat(policy.failed()).as("probe %s, %s after the warning", i + 1, FallbackPolicy.BACK_OFF.multipliedBy(i + 1))
                    .isEmpty();
            }
            advance(FallbackPolicy.BACK_OFF);
            policy.fellBack();
            assertThat(policy.decide()).isEqualTo(PROBE);

            assertThat(policy.failed()).isEqualTo(OptionalLong.of(23));
        }

        @Test
        void theEndOfAnOutageShouldTellHowManyChecksFellBack() {
            policy.failed();
            policy.fellBack();
            policy.fellBack();
            policy.fellBack();
            advance(FallbackPolicy.BACK_OFF);

            assertThat(policy.succeeded(policy.decide())).isEqualTo(OptionalLong.of(3));
        }

        @Test
        void aNewOutageShouldWarnAtOnceEvenWithinAMinuteOfThePreviousWarning() {
            policy.failed();
            advance(FallbackPolicy.BACK_OFF);
            policy.succeeded(policy.decide());

            policy.fellBack();
            assertThat(policy.failed()).isEqualTo(OptionalLong.of(1));
        }
    }
}
