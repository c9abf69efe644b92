package org.msa4james.redis;

import java.time.Duration;
import java.util.OptionalLong;
import java.util.function.LongSupplier;

/**
 * When to ask Redis and when to count on this node alone, so that an outage costs little: after a failure (an error or
 * a timeout) Redis is skipped for {@link #BACK_OFF}, then one check, the probe, tries it again while the others still
 * skip it; the probe's success ends the outage. So a Redis that hangs costs at most one timeout per back-off period
 * (plus the checks already waiting on it when it began to hang), and one that refuses connections costs nothing.
 *
 * <p>Also decides when to warn: at the first failure of an outage and then at most once per {@link #WARNING_INTERVAL},
 * with the number of checks that fell back since the previous warning. Pure logic over a nanosecond clock; thread-safe.
 */
final class FallbackPolicy {
    static final Duration BACK_OFF = Duration.ofSeconds(5);
    static final Duration WARNING_INTERVAL = Duration.ofMinutes(1);

    /** What a check does. */
    enum Decision {
        /** Redis is available: ask it. */
        ASK,
        /** Redis failed, the back-off is over: this check tries it again; report with {@link #succeeded} or {@link #failed}. */
        PROBE,
        /** Redis failed recently: count on this node alone. */
        SKIP
    }

    private final LongSupplier nanoTime;
    private final long backOffNanos;
    private final long warningIntervalNanos;
    private volatile boolean down;
    // guarded by this
    private long retryAt;
    private boolean probing;
    private boolean warnedInThisOutage;
    private long nextWarningAt;
    private long fallbacksSinceWarning;
    private long fallbacksInOutage;

    FallbackPolicy(LongSupplier nanoTime) {
        this(nanoTime, BACK_OFF, WARNING_INTERVAL);
    }

    FallbackPolicy(LongSupplier nanoTime, Duration backOff, Duration warningInterval) {
        this.nanoTime = nanoTime;
        this.backOffNanos = backOff.toNanos();
        this.warningIntervalNanos = warningInterval.toNanos();
    }

    Decision decide() {
        if (!down) {
            return Decision.ASK;
        }
        synchronized (this) {
            if (!down) {
                return Decision.ASK;
            }
            if (probing || nanoTime.getAsLong() - retryAt < 0) {
                return Decision.SKIP;
            }
            probing = true;
            return Decision.PROBE;
        }
    }

    /** A check counted on this node alone instead of in Redis. */
    synchronized void fellBack() {
        fallbacksSinceWarning++;
        fallbacksInOutage++;
    }

    /**
     * Redis failed: it is skipped for the back-off period.
     *
     * @return when a warning is due, the number of checks that fell back since the previous warning
     */
    synchronized OptionalLong failed() {
        long now = nanoTime.getAsLong();
        if (!down) {
            down = true;
            fallbacksInOutage = 0;
        }
        probing = false;
        retryAt = now + backOffNanos;
        if (warnedInThisOutage && now - nextWarningAt < 0) {
            return OptionalLong.empty();
        }
        warnedInThisOutage = true;
        nextWarningAt = now + warningIntervalNanos;
        long fallbacks = fallbacksSinceWarning;
        fallbacksSinceWarning = 0;
        return OptionalLong.of(fallbacks);
    }

    /**
     * Redis answered.
     *
     * @return when this ends an outage (a probe succeeded), the number of checks that fell back during it
     */
    synchronized OptionalLong succeeded(Decision decision) {
        if (decision != Decision.PROBE || !down) {
            return OptionalLong.empty();
        }
        down = false;
        probing = false;
        warnedInThisOutage = false;
        fallbacksSinceWarning = 0;
        return OptionalLong.of(fallbacksInOutage);
    }

    boolean isDown() {
        return down;
    }
}
