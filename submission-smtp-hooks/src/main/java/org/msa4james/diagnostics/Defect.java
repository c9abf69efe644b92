package org.msa4james.diagnostics;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** A client defect the submission server repaired or refused; its {@link #id()} is stable (JSON, filters, metrics). */
public enum Defect {
    MISSING_DATE,
    INVALID_DATE,
    MISSING_MESSAGE_ID,
    INVALID_MESSAGE_ID,
    UNQUALIFIED_DOMAIN,
    EIGHT_BIT_HEADER,
    FROM_NOT_ENTITLED,
    SENDER_ADDED,
    LONG_LINES_REENCODED,
    AUTH_WITHOUT_TLS,
    AUTH_FAILED,
    RATE_LIMITED;

    /** The lower-case, hyphenated name, e.g. {@code missing-date}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static Optional<Defect> fromId(String id) {
        return Arrays.stream(values()).filter(defect -> defect.id().equals(id)).findFirst();
    }
}
