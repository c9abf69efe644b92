package org.msa4james.report;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The outcome a delivery status notification reports for its recipients (RFC 3464 section 2.3.3, the Action field),
 * among those msa4james reports.
 */
public enum ReportAction {
    /** Not delivered, and never will be: refused for good, retries exhausted, or stored nowhere. */
    FAILED("5.0.0"),
    /** Not delivered yet: a temporary failure, delivery is retried. */
    DELAYED("4.0.0"),
    /** Stored in the recipient's mailbox here. */
    DELIVERED("2.0.0"),
    /** Handed to a next hop that does not offer DSN, so that no further notice will come. */
    RELAYED("2.0.0");

    private final String defaultStatus;

    ReportAction(String defaultStatus) {
        this.defaultStatus = defaultStatus;
    }

    /** The value of the Action field, e.g. "failed". */
    public String field() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The status code of a recipient for whom nothing more precise is known. */
    public String defaultStatus() {
        return defaultStatus;
    }

    /** The class a status code of this action must have (RFC 3463): 2 for success, 4 for a delay, 4 or 5 for a failure. */
    public boolean allowsStatus(String status) {
        char statusClass = status.charAt(0);
        switch (this) {
            case FAILED:
                return statusClass == '4' || statusClass == '5';
            case DELAYED:
                return statusClass == '4';
            default:
                return statusClass == '2';
        }
    }

    /**
     * @throws IllegalArgumentException naming the accepted values
     */
    public static ReportAction parse(String value) {
        return Optional.ofNullable(value)
            .flatMap(text -> Arrays.stream(values()).filter(action -> action.field().equalsIgnoreCase(text.trim())).findFirst())
            .orElseThrow(() -> new IllegalArgumentException("must be one of " + Arrays.stream(values())
                .map(ReportAction::field).collect(Collectors.joining(", ")) + ", not '" + value + "'"));
    }
}
