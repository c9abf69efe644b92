package org.msa4james.abuse;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import com.google.common.base.Preconditions;
import com.google.common.base.Ticker;
import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;

/**
 * {@link WindowCounter} in this JVM's memory, bounded: at most {@code maxKeys} keys (the least recently used are
 * forgotten first), and a key untouched for {@code retention} is forgotten. Forgetting a key only resets its count, so
 * the bound costs precision under a flood of distinct keys, never memory. Time comes from the injected clock.
 */
public class InMemoryWindowCounter implements WindowCounter {
    public static final int DEFAULT_MAX_KEYS = 100_000;
    /** The longest window a handler accepts; keys idle this long are forgotten. */
    public static final Duration MAX_WINDOW = Duration.ofDays(1);

    private static final class Window {
        private final Instant start;
        private long count;

        private Window(Instant start) {
            this.start = start;
        }
    }

    private final Clock clock;
    private final Cache<String, Window> windows;

    public InMemoryWindowCounter(Clock clock, int maxKeys, Duration retention) {
        Preconditions.checkArgument(maxKeys > 0, "maxKeys must be positive");
        this.clock = clock;
        this.windows = CacheBuilder.newBuilder()
            .maximumSize(maxKeys)
            .expireAfterAccess(retention.toNanos(), TimeUnit.NANOSECONDS)
            .ticker(new Ticker() {
                @Override
                public long read() {
                    Instant now = clock.instant();
                    return TimeUnit.SECONDS.toNanos(now.getEpochSecond()) + now.getNano();
                }
            })
            .build();
    }

    @Override
    public WindowCount add(String key, long amount, Duration window) {
        Preconditions.checkArgument(amount >= 0, "amount must not be negative");
        Instant now = clock.instant();
        if (amount == 0) {
            Window current = windows.getIfPresent(key);
            synchronized (this) {
                if (current == null || !now.isBefore(current.start.plus(window))) {
                    return new WindowCount(0, now.plus(window));
                }
                return new WindowCount(current.count, current.start.plus(window));
            }
        }
        synchronized (this) {
            Window current = windows.getIfPresent(key);
            if (current == null || !now.isBefore(current.start.plus(window))) {
                current = new Window(now);
                windows.put(key, current);
            }
            current.count += amount;
            return new WindowCount(current.count, current.start.plus(window));
        }
    }

    /** Keys currently held (approximate, for tests of the memory bound). */
    public long size() {
        windows.cleanUp();
        return windows.size();
    }
}
