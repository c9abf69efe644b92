package org.msa4james.diagnostics.webadmin;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

import org.msa4james.diagnostics.DiagnosticEntry;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** One entry as JSON: times as ISO-8601 instants in UTC with milliseconds, e.g. {@code 2026-11-28T10:00:00.000Z}. */
@JsonPropertyOrder({"user", "clientSoftware", "defect", "count", "firstSeen", "lastSeen"})
public final class DiagnosticEntryDto {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT)
        .withZone(ZoneOffset.UTC);

    private final DiagnosticEntry entry;

    DiagnosticEntryDto(DiagnosticEntry entry) {
        this.entry = entry;
    }

    /** The authenticated user, else the client address. */
    public String getUser() {
        return entry.key().subject();
    }

    public String getClientSoftware() {
        return entry.key().clientSoftware();
    }

    public String getDefect() {
        return entry.key().defect().id();
    }

    public long getCount() {
        return entry.count();
    }

    public String getFirstSeen() {
        return TIME.format(entry.firstSeen());
    }

    public String getLastSeen() {
        return TIME.format(entry.lastSeen());
    }
}
