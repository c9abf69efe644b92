package org.msa4james.abuse;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.google.common.base.Preconditions;

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

    /**
     * Adds {@code amounts.get(i)} (0 or more: 0 reads) to {@code keys.get(i)}, each key in its own window of the same
     * length, and returns their counts in that order: as {@link #add(String, long, Duration)} key by key, in one
     * operation of the store where it can (one round trip to a shared store).
     */
    default List<WindowCount> add(List<String> keys, List<Long> amounts, Duration window) {
        Preconditions.checkArgument(keys.size() == amounts.size(), "one amount per key");
        List<WindowCount> counts = new ArrayList<>(keys.size());
        for (int i = 0; i < keys.size(); i++) {
            counts.add(add(keys.get(i), amounts.get(i), window));
        }
        return counts;
    }

    /**
     * Adds as {@link #add(List, List, Duration)}, for a caller that does not need the counts: a shared store may apply
     * them a moment after this returns, but before any later operation of this node (one connection, in order), so
     * that this node's next check sees them. In memory, at once.
     */
    default void addWithoutWaiting(List<String> keys, List<Long> amounts, Duration window) {
        add(keys, amounts, window);
    }
}
