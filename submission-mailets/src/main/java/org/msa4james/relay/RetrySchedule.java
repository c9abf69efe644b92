package org.msa4james.relay;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import com.google.common.base.Preconditions;
import com.google.common.collect.ImmutableList;

/**
 * When delivery to the next hop is tried again after a temporary failure, as James's RemoteDelivery does it: at most
 * {@code maxRetries} more attempts, the n-th after the n-th delay (or {@link #DEFAULT_DELAY} beyond the list).
 */
public final class RetrySchedule {
    /** James's RemoteDelivery waits 6 hours before an attempt its delay list does not cover. */
    public static final Duration DEFAULT_DELAY = Duration.ofHours(6);

    private final int maxRetries;
    private final ImmutableList<Duration> delays;

    public RetrySchedule(int maxRetries, List<Duration> delays) {
        Preconditions.checkArgument(maxRetries >= 0, "maxRetries must not be negative");
        this.maxRetries = maxRetries;
        this.delays = ImmutableList.copyOf(delays);
    }

    public int maxRetries() {
        return maxRetries;
    }

    /** Whether another attempt follows when {@code retriesSoFar} retries have been made. */
    public boolean retryAfter(int retriesSoFar) {
        return retriesSoFar < maxRetries;
    }

    /** The wait before retry number {@code retry} (1 for the first retry). */
    public Duration delayBefore(int retry) {
        Preconditions.checkArgument(retry >= 1, "retries are counted from 1");
        return retry <= delays.size() ? delays.get(retry - 1) : DEFAULT_DELAY;
    }

    /**
     * When the last attempt will have been made, seen after a failure at {@code now} that was followed by
     * {@code retriesSoFar} retries (RFC 3464 Will-Retry-Until).
     */
    public Instant lastRetry(Instant now, int retriesSoFar) {
        Instant last = now;
        for (int retry = retriesSoFar + 1; retry <= maxRetries; retry++) {
            last = last.plus(delayBefore(retry));
        }
        return last;
    }
}
