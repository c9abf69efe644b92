package org.msa4james.diagnostics;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** Selects entries by subject (exact), defect and last-seen time (at or after {@code since}). */
public final class DiagnosticFilter {
    public static final DiagnosticFilter ALL = new DiagnosticFilter(Optional.empty(), Optional.empty(), Optional.empty());

    private final Optional<String> subject;
    private final Optional<Defect> defect;
    private final Optional<Instant> since;

    public DiagnosticFilter(Optional<String> subject, Optional<Defect> defect, Optional<Instant> since) {
        this.subject = Objects.requireNonNull(subject);
        this.defect = Objects.requireNonNull(defect);
        this.since = Objects.requireNonNull(since);
    }

    public boolean matches(DiagnosticEntry entry) {
        return subject.map(entry.key().subject()::equals).orElse(true)
            && defect.map(value -> entry.key().defect() == value).orElse(true)
            && since.map(value -> !entry.lastSeen().isBefore(value)).orElse(true);
    }
}
