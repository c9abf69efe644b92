package org.msa4james.abuse;

import java.time.Clock;

import javax.inject.Inject;
import javax.inject.Singleton;

/** The default {@link SendingCounter}: one per server, in memory, at most 100,000 keys. */
@Singleton
public class InMemorySendingCounter extends InMemoryWindowCounter implements SendingCounter {
    @Inject
    public InMemorySendingCounter() {
        this(Clock.systemUTC());
    }

    public InMemorySendingCounter(Clock clock) {
        super(clock, DEFAULT_MAX_KEYS, MAX_WINDOW);
    }
}
