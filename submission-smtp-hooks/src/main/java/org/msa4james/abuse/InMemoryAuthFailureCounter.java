package org.msa4james.abuse;

import java.time.Clock;

import javax.inject.Inject;
import javax.inject.Singleton;

/** The default {@link AuthFailureCounter}: one per server, in memory, at most 100,000 keys. */
@Singleton
public class InMemoryAuthFailureCounter extends InMemoryWindowCounter implements AuthFailureCounter {
    @Inject
    public InMemoryAuthFailureCounter() {
        this(Clock.systemUTC());
    }

    public InMemoryAuthFailureCounter(Clock clock) {
        super(clock, DEFAULT_MAX_KEYS, MAX_WINDOW);
    }
}
