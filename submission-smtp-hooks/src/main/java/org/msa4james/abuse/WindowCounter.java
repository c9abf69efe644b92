package org.msa4james.abuse;

import java.time.Duration;

/**
 * Counts events per key in fixed windows: a key's window opens with its first event and lasts {@code window}; once
 * it has ended the next event opens a new one. A cluster shares the counts by binding an implementation backed by a
 * shared store (for example Redis INCR with EXPIRE) instead of the in-memory default.
 */
public interface WindowCounter {
    /** Adds {@code amount} (0 or more) events to the key and returns its count in the current window. */
    WindowCount add(String key, long amount, Duration window);

    /** The key's count in the current window, without adding; 0 and a reset of now + window when it has none. */
    default WindowCount get(String key, Duration window) {
        return add(key, 0, window);
    }
}
