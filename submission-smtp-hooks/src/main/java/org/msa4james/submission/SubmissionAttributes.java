package org.msa4james.submission;

import org.apache.mailet.AttributeName;

/**
 * Names of the Mail attributes with which the submission listeners mark a message as a submission.
 *
 * <p>The SMTP session hooks write them at the end of DATA; the submission matcher and mailets read them.
 * They are attributes, never header fields: a client can forge a header but not an attribute.</p>
 */
public final class SubmissionAttributes {
    private static final String PREFIX = "org.msa4james.submission.";

    /** Name of the listener that accepted the message ("submission", "submissions"). Its presence marks a submission. */
    public static final AttributeName LISTENER = AttributeName.of(PREFIX + "listener");
    /** The authenticated user, as James knows it (absent when a trusted network submitted without AUTH). */
    public static final AttributeName USER = AttributeName.of(PREFIX + "user");
    /** The TLS protocol of the session, e.g. "TLSv1.3" (absent when the session was not encrypted). */
    public static final AttributeName TLS_PROTOCOL = AttributeName.of(PREFIX + "tlsProtocol");
    /** When the listener accepted the message (end of DATA), as an ISO-8601 instant, e.g. "2026-11-28T18:55:39.123Z". */
    public static final AttributeName RECEIVED_AT = AttributeName.of(PREFIX + "receivedAt");
    /** The client's IP address, in textual form. */
    public static final AttributeName CLIENT_ADDRESS = AttributeName.of(PREFIX + "clientAddress");

    private SubmissionAttributes() {
    }
}
