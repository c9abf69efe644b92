package org.msa4james.diagnostics;

import java.time.Instant;
import java.util.List;

/** Where client defects are counted. Implementations are thread-safe and bounded. */
public interface DiagnosticsStore {
    /** Counts one more occurrence of the key at the given time; answers whether the key was new to the store. */
    boolean record(DiagnosticKey key, Instant at);

    /** The matching entries, ordered by subject, client software and defect. */
    List<DiagnosticEntry> list(DiagnosticFilter filter);

    /** Forgets every entry. */
    void reset();
}
