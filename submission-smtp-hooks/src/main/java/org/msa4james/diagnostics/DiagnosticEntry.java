package org.msa4james.diagnostics;

import java.time.Instant;
import java.util.Objects;

/** How often a key was seen, and when first and last: counts and times only, never message content. */
public final class DiagnosticEntry {
    private final DiagnosticKey key;
    private final long count;
    private final Instant firstSeen;
    private final Instant lastSeen;

    public DiagnosticEntry(DiagnosticKey key, long count, Instant firstSeen, Instant lastSeen) {
        this.key = Objects.requireNonNull(key, "key");
        this.count = count;
        this.firstSeen = Objects.requireNonNull(firstSeen, "firstSeen");
        this.lastSeen = Objects.requireNonNull(lastSeen, "lastSeen");
    }

    public static DiagnosticEntry first(DiagnosticKey key, Instant at) {
        return new DiagnosticEntry(key, 1, at, at);
    }

    public DiagnosticEntry seenAgain(Instant at) {
        return new DiagnosticEntry(key, count + 1, firstSeen, at.isAfter(lastSeen) ? at : lastSeen);
    }

    public DiagnosticKey key() {
        return key;
    }

    public long count() {
        return count;
    }

    public Instant firstSeen() {
        return firstSeen;
    }

    public Instant lastSeen() {
        return lastSeen;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof DiagnosticEntry)) {
            return false;
        }
        DiagnosticEntry other = (DiagnosticEntry) o;
        return key.equals(other.key) && count == other.count && firstSeen.equals(other.firstSeen)
            && lastSeen.equals(other.lastSeen);
    }

    @Override
    public int hashCode() {
        return Objects.hash(key, count, firstSeen, lastSeen);
    }

    @Override
    public String toString() {
        return key + " x" + count + " " + firstSeen + ".." + lastSeen;
    }
}
