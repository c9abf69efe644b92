package org.msa4james.abuse;

import java.time.Instant;
import java.util.Objects;

/** How many events a key has in its current fixed window, and when that window ends (the count then starts at 0). */
public final class WindowCount {
    private final long count;
    private final Instant resetsAt;

    public WindowCount(long count, Instant resetsAt) {
        this.count = count;
        this.resetsAt = Objects.requireNonNull(resetsAt);
    }

    public long count() {
        return count;
    }

    public Instant resetsAt() {
        return resetsAt;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof WindowCount)) {
            return false;
        }
        WindowCount other = (WindowCount) o;
        return count == other.count && resetsAt.equals(other.resetsAt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(count, resetsAt);
    }

    @Override
    public String toString() {
        return count + " until " + resetsAt;
    }
}
