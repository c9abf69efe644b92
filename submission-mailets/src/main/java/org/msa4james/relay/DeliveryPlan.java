package org.msa4james.relay;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

import com.google.common.collect.ImmutableList;

/**
 * What follows one delivery attempt to the next hop, recipient by recipient (RFC 3461 section 6.2, RFC 5321 section
 * 4.5.4.1):
 * <ul>
 * <li>delivered recipients are done; those whose DSN parameters the next hop did not take (it offered no DSN) and who
 * asked for SUCCESS get a "relayed" report, since no other report will come;</li>
 * <li>recipients refused for good, and those refused for now once every retry has been made, get a "failed" report
 * (when their NOTIFY allows it, which the report decides);</li>
 * <li>recipients refused for now are tried again after the schedule's next delay; after the mail's first temporary
 * failure, those that asked for DELAY get one "delayed" report, and none later.</li>
 * </ul>
 */
public final class DeliveryPlan {
    private final ImmutableList<RecipientResult> delivered;
    private final ImmutableList<RecipientResult> relayedReport;
    private final ImmutableList<RecipientResult> failed;
    private final ImmutableList<RecipientResult> retried;
    private final ImmutableList<RecipientResult> delayedReport;
    private final boolean firstTemporaryFailure;
    private final int retries;
    private final Optional<Duration> retryDelay;

    private DeliveryPlan(List<RecipientResult> delivered, List<RecipientResult> relayedReport, List<RecipientResult> failed,
                         List<RecipientResult> retried, List<RecipientResult> delayedReport, boolean firstTemporaryFailure,
                         int retries, Optional<Duration> retryDelay) {
        this.delivered = ImmutableList.copyOf(delivered);
        this.relayedReport = ImmutableList.copyOf(relayedReport);
        this.failed = ImmutableList.copyOf(failed);
        this.retried = ImmutableList.copyOf(retried);
        this.delayedReport = ImmutableList.copyOf(delayedReport);
        this.firstTemporaryFailure = firstTemporaryFailure;
        this.retries = retries;
        this.retryDelay = retryDelay;
    }

    /**
     * @param results the attempt's result for each recipient
     * @param successRequested the recipients whose NOTIFY has SUCCESS (none when the sender is null)
     * @param delayRequested the recipients whose NOTIFY has DELAY (none when the sender is null)
     * @param retriesSoFar the retries made before this attempt (0 for the first attempt)
     * @param delayAlreadyDecided whether an earlier attempt already failed for now (and decided on the "delayed" report)
     */
    public static DeliveryPlan decide(List<RecipientResult> results, Set<String> successRequested, Set<String> delayRequested,
                                      int retriesSoFar, boolean delayAlreadyDecided, RetrySchedule schedule) {
        List<RecipientResult> delivered = with(results, RecipientResult.Outcome.DELIVERED);
        List<RecipientResult> temporary = with(results, RecipientResult.Outcome.TEMPORARY_FAILURE);
        boolean retry = !temporary.isEmpty() && schedule.retryAfter(retriesSoFar);
        ImmutableList.Builder<RecipientResult> failed = ImmutableList.builder();
        failed.addAll(with(results, RecipientResult.Outcome.PERMANENT_FAILURE));
        if (!retry) {
            temporary.stream().map(RecipientResult::asFinal).forEach(failed::add);
        }
        boolean firstTemporaryFailure = retry && !delayAlreadyDecided;
        return new DeliveryPlan(
            delivered,
            filter(delivered, result -> !result.dsnPassedOn() && successRequested.contains(result.recipient())),
            failed.build(),
            retry ? temporary : List.of(),
            firstTemporaryFailure ? filter(temporary, result -> delayRequested.contains(result.recipient())) : List.of(),
            firstTemporaryFailure,
            retry ? retriesSoFar + 1 : retriesSoFar,
            retry ? Optional.of(schedule.delayBefore(retriesSoFar + 1)) : Optional.empty());
    }

    private static List<RecipientResult> with(List<RecipientResult> results, RecipientResult.Outcome outcome) {
        return filter(results, result -> result.outcome() == outcome);
    }

    private static List<RecipientResult> filter(List<RecipientResult> results, Predicate<RecipientResult> predicate) {
        return results.stream().filter(predicate).collect(ImmutableList.toImmutableList());
    }

    public ImmutableList<RecipientResult> delivered() {
        return delivered;
    }

    /** Delivered to a next hop without DSN, SUCCESS asked for: a "relayed" report. */
    public ImmutableList<RecipientResult> relayedReport() {
        return relayedReport;
    }

    /** Refused for good, or for now with no retry left: a "failed" report. */
    public ImmutableList<RecipientResult> failed() {
        return failed;
    }

    /** To try again after {@link #retryDelay()}. */
    public ImmutableList<RecipientResult> retried() {
        return retried;
    }

    /** Retried, DELAY asked for, and this is the mail's first temporary failure: a "delayed" report. */
    public ImmutableList<RecipientResult> delayedReport() {
        return delayedReport;
    }

    /** Whether this attempt is the mail's first temporary failure (the "delayed" report is decided now, once). */
    public boolean firstTemporaryFailure() {
        return firstTemporaryFailure;
    }

    /** The retries made once this plan is carried out. */
    public int retries() {
        return retries;
    }

    public Optional<Duration> retryDelay() {
        return retryDelay;
    }
}
