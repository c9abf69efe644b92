package org.msa4james.diagnostics;

import java.util.Optional;

/**
 * The client software named by a message (User-Agent, else X-Mailer) or else by the EHLO name, reduced to at most
 * {@value #MAX_LENGTH} printable ASCII characters so that a client cannot fill the store with long or binary names.
 */
public final class ClientSoftware {
    public static final int MAX_LENGTH = 100;
    public static final String UNKNOWN = "unknown";

    private ClientSoftware() {
    }

    public static String of(Optional<String> userAgent, Optional<String> xMailer, Optional<String> ehloName) {
        return clean(userAgent)
            .or(() -> clean(xMailer))
            .or(() -> clean(ehloName))
            .orElse(UNKNOWN);
    }

    /** The value unfolded, trimmed, with every non-printable or non-ASCII character replaced by '?', and cut. */
    static Optional<String> clean(Optional<String> value) {
        return value.map(ClientSoftware::printable)
            .map(String::trim)
            .filter(text -> !text.isEmpty());
    }

    private static String printable(String value) {
        StringBuilder text = new StringBuilder(Math.min(value.length(), MAX_LENGTH));
        boolean space = false;
        for (int i = 0; i < value.length() && text.length() < MAX_LENGTH; i++) {
            char c = value.charAt(i);
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                space = true;
                continue;
            }
            if (space && text.length() > 0 && text.length() < MAX_LENGTH) {
                text.append(' ');
            }
            space = false;
            if (text.length() < MAX_LENGTH) {
                text.append(c > 0x20 && c < 0x7f ? c : '?');
            }
        }
        return text.toString();
    }
}
