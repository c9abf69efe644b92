package org.msa4james.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class DeliveryPlanTest {
    private static final RetrySchedule SCHEDULE = new RetrySchedule(3,
        List.of(Duration.ofMinutes(5), Duration.ofMinutes(30), Duration.ofHours(6)));
    private static final String MTA = "mx.example.com";

    private static final RecipientResult CAROL_DELIVERED = RecipientResult.delivered("carol@example.com", MTA, "250 2.0.0 Ok: queued", false);
    private static final RecipientResult DAVE_DELIVERED_WITH_DSN = RecipientResult.delivered("dave@example.com", MTA, "250 OK", true);
    private static final RecipientResult ERIN_REFUSED = RecipientResult.refused("erin@example.com", MTA, "550 5.1.1 No such user");
    private static final RecipientResult FRANK_LATER = RecipientResult.refused("frank@example.com", MTA, "451 4.3.0 Try later");

    @Nested
    class Results {
        @Test
        void aReplyShouldGiveTheOutcomeAndStatus() {
            assertThat(CAROL_DELIVERED.outcome()).isEqualTo(RecipientResult.Outcome.DELIVERED);
            assertThat(CAROL_DELIVERED.status()).isEqualTo("2.0.0");
            assertThat(RecipientResult.delivered("c@example.com", MTA, "250 2.6.0 Queued", false).status()).isEqualTo("2.6.0");
            assertThat(ERIN_REFUSED.outcome()).isEqualTo(RecipientResult.Outcome.PERMANENT_FAILURE);
            assertThat(ERIN_REFUSED.status()).isEqualTo("5.1.1");
            assertThat(FRANK_LATER.outcome()).isEqualTo(RecipientResult.Outcome.TEMPORARY_FAILURE);
            assertThat(FRANK_LATER.status()).isEqualTo("4.3.0");
            assertThat(RecipientResult.refused("g@example.com", MTA, "554 Transaction failed").status()).isEqualTo("5.0.0");
            assertThat(RecipientResult.refused("g@example.com", MTA, "garbage").outcome()).isEqualTo(RecipientResult.Outcome.TEMPORARY_FAILURE);
            assertThat(RecipientResult.refused("g@example.com", MTA, "").reply()).isEmpty();
        }
    }

    @Nested
    class Success {
        @Test
        void onlyDeliveriesWithoutDsnPassedOnThatAskedForSuccessShouldBeReportedRelayed() {
            DeliveryPlan plan = DeliveryPlan.decide(List.of(CAROL_DELIVERED, DAVE_DELIVERED_WITH_DSN),
                Set.of("carol@example.com", "dave@example.com"), Set.of(), 0, false, SCHEDULE);

            assertThat(plan.delivered()).containsExactly(CAROL_DELIVERED, DAVE_DELIVERED_WITH_DSN);
            assertThat(plan.relayedReport()).containsExactly(CAROL_DELIVERED);
            assertThat(plan.failed()).isEmpty();
            assertThat(plan.retried()).isEmpty();
            assertThat(plan.retryDelay()).isEmpty();
        }

        @Test
        void withoutSuccessAskedForNothingShouldBeReported() {
            DeliveryPlan plan = DeliveryPlan.decide(List.of(CAROL_DELIVERED), Set.of(), Set.of(), 0, false, SCHEDULE);

            assertThat(plan.relayedReport()).isEmpty();
        }
    }

    @Nested
    class Failure {
        @Test
        void aPermanentRefusalShouldFailAtOnceWhileTheOthersAreDelivered() {
            DeliveryPlan plan = DeliveryPlan.decide(List.of(CAROL_DELIVERED, ERIN_REFUSED), Set.of(), Set.of(), 0, false, SCHEDULE);

            assertThat(plan.failed()).containsExactly(ERIN_REFUSED);
            assertThat(plan.delivered()).containsExactly(CAROL_DELIVERED);
            assertThat(plan.retried()).isEmpty();
        }

        @Test
        void theFirstTemporaryFailureShouldBeRetriedAfterTheFirstDelayAndReportedDelayedWhenAskedFor() {
            DeliveryPlan plan = DeliveryPlan.decide(List.of(FRANK_LATER, ERIN_REFUSED), Set.of(), Set.of("frank@example.com"),
                0, false, SCHEDULE);

            assertThat(plan.retried()).containsExactly(FRANK_LATER);
            assertThat(plan.retryDelay()).contains(Duration.ofMinutes(5));
            assertThat(plan.retries()).isEqualTo(1);
            assertThat(plan.firstTemporaryFailure()).isTrue();
            assertThat(plan.delayedReport()).containsExactly(FRANK_LATER);
            assertThat(plan.failed()).containsExactly(ERIN_REFUSED);
        }

        @Test
        void aLaterTemporaryFailureShouldNotBeReportedDelayedAgain() {
            DeliveryPlan plan = DeliveryPlan.decide(List.of(FRANK_LATER), Set.of(), Set.of("frank@example.com"), 1, true, SCHEDULE);

            assertThat(plan.delayedReport()).isEmpty();
            assertThat(plan.firstTemporaryFailure()).isFalse();
            assertThat(plan.retryDelay()).contains(Duration.ofMinutes(30));
            assertThat(plan.retries()).isEqualTo(2);
        }

        @Test
        void aTemporaryFailureWithoutDelayAskedForShouldStillDecideTheDelayedReportOnce() {
            DeliveryPlan plan = DeliveryPlan.decide(List.of(FRANK_LATER), Set.of(), Set.of(), 0, false, SCHEDULE);

            assertThat(plan.firstTemporaryFailure()).isTrue();
            assertThat(plan.delayedReport()).isEmpty();
        }

        @Test
        void onceEveryRetryIsMadeATemporaryFailureShouldFailWithItsLastStatus() {
            DeliveryPlan plan = DeliveryPlan.decide(List.of(FRANK_LATER), Set.of(), Set.of("frank@example.com"), 3, true, SCHEDULE);

            assertThat(plan.retried()).isEmpty();
            assertThat(plan.failed()).hasSize(1);
            RecipientResult failed = plan.failed().get(0);
            assertThat(failed.outcome()).isEqualTo(RecipientResult.Outcome.PERMANENT_FAILURE);
            assertThat(failed.status()).isEqualTo("4.3.0");
            assertThat(failed.reply()).contains("451 4.3.0 Try later");
            assertThat(plan.delayedReport()).isEmpty();
        }
    }

    @Nested
    class Schedule {
        @Test
        void delaysBeyondTheListShouldBeSixHours() {
            RetrySchedule schedule = new RetrySchedule(5, List.of(Duration.ofSeconds(1)));

            assertThat(schedule.delayBefore(1)).isEqualTo(Duration.ofSeconds(1));
            assertThat(schedule.delayBefore(2)).isEqualTo(Duration.ofHours(6));
        }

        @Test
        void theLastRetryShouldBeTheSumOfTheRemainingDelays() {
            Instant now = Instant.parse("2026-11-28T19:00:00Z");

            assertThat(SCHEDULE.lastRetry(now, 0)).isEqualTo(now.plus(Duration.ofMinutes(35)).plus(Duration.ofHours(6)));
            assertThat(SCHEDULE.lastRetry(now, 2)).isEqualTo(now.plus(Duration.ofHours(6)));
            assertThat(SCHEDULE.lastRetry(now, 3)).isEqualTo(now);
            assertThat(SCHEDULE.retryAfter(2)).isTrue();
            assertThat(SCHEDULE.retryAfter(3)).isFalse();
        }
    }

    @Test
    void resultsShouldSayWhatTheyAre() {
        assertThat(ERIN_REFUSED.toString()).isEqualTo("erin@example.com PERMANENT_FAILURE 5.1.1 at mx.example.com '550 5.1.1 No such user'");
        assertThat(RecipientResult.failed("x@example.com", false, "4.4.1", Optional.empty(), Optional.empty()).toString())
            .isEqualTo("x@example.com TEMPORARY_FAILURE 4.4.1");
    }
}
