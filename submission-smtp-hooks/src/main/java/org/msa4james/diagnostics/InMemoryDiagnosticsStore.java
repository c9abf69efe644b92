package org.msa4james.diagnostics;

import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.inject.Inject;

import com.google.common.base.Preconditions;
import com.google.common.collect.ImmutableList;

/**
 * The default store: at most {@link #maximumEntries()} entries in memory; recording a key beyond that evicts the
 * entry recorded least recently. Lost at restart.
 */
public final class InMemoryDiagnosticsStore implements DiagnosticsStore {
    public static final int DEFAULT_MAXIMUM_ENTRIES = 10_000;

    private static final Comparator<DiagnosticEntry> ORDER = Comparator
        .comparing((DiagnosticEntry entry) -> entry.key().subject())
        .thenComparing(entry -> entry.key().clientSoftware())
        .thenComparing(entry -> entry.key().defect());

    private final int maximumEntries;
    private final Map<DiagnosticKey, DiagnosticEntry> entries;

    @Inject
    public InMemoryDiagnosticsStore() {
        this(DEFAULT_MAXIMUM_ENTRIES);
    }

    public InMemoryDiagnosticsStore(int maximumEntries) {
        Preconditions.checkArgument(maximumEntries > 0, "maximumEntries must be positive, got %s", maximumEntries);
        this.maximumEntries = maximumEntries;
        // access order: record() moves a key to the end, so the eldest entry is the one recorded least recently
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<DiagnosticKey, DiagnosticEntry> eldest) {
                return size() > InMemoryDiagnosticsStore.this.maximumEntries;
            }
        };
    }

    public int maximumEntries() {
        return maximumEntries;
    }

    @Override
    public synchronized boolean record(DiagnosticKey key, Instant at) {
        DiagnosticEntry previous = entries.get(key);
        entries.put(key, previous == null ? DiagnosticEntry.first(key, at) : previous.seenAgain(at));
        return previous == null;
    }

    @Override
    public List<DiagnosticEntry> list(DiagnosticFilter filter) {
        List<DiagnosticEntry> snapshot;
        synchronized (this) {
            snapshot = ImmutableList.copyOf(entries.values());
        }
        return snapshot.stream()
            .filter(filter::matches)
            .sorted(ORDER)
            .collect(ImmutableList.toImmutableList());
    }

    /**
     * Puts an entry back as it was (count and times), e.g. read from a file at start; entries restored in order of
     * their last sighting keep the order in which the oldest are evicted.
     */
    public synchronized void restore(DiagnosticEntry entry) {
        entries.put(entry.key(), entry);
    }

    /** Every entry, the one recorded least recently first. */
    public synchronized List<DiagnosticEntry> snapshot() {
        return ImmutableList.copyOf(entries.values());
    }

    public synchronized int size() {
        return entries.size();
    }

    @Override
    public synchronized void reset() {
        entries.clear();
    }
}
