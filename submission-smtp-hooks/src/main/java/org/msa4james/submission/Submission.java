package org.msa4james.submission;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;

/**
 * What the submission listener recorded about a message (see {@link SubmissionAttributes}): present only for mail
 * accepted on a submission listener. Mailets act on a message only when it is a submission, so that mail relayed
 * in on port 25 is never completed or rewritten, even when a configuration routes it through them.
 */
public final class Submission {
    private final String listener;
    private final Optional<String> user;
    private final Optional<String> tlsProtocol;
    private final Optional<String> clientAddress;
    private final Optional<String> sessionId;
    private final Optional<String> receivedAt;

    private Submission(String listener, Optional<String> user, Optional<String> tlsProtocol,
                       Optional<String> clientAddress, Optional<String> sessionId, Optional<String> receivedAt) {
        this.listener = listener;
        this.user = user;
        this.tlsProtocol = tlsProtocol;
        this.clientAddress = clientAddress;
        this.sessionId = sessionId;
        this.receivedAt = receivedAt;
    }

    /** The submission facts of this mail, or empty when it did not arrive on a submission listener. */
    public static Optional<Submission> of(Mail mail) {
        return string(mail, SubmissionAttributes.LISTENER)
            .map(listener -> new Submission(listener,
                string(mail, SubmissionAttributes.USER),
                string(mail, SubmissionAttributes.TLS_PROTOCOL),
                string(mail, SubmissionAttributes.CLIENT_ADDRESS),
                string(mail, Mail.SMTP_SESSION_ID),
                string(mail, SubmissionAttributes.RECEIVED_AT)));
    }

    private static Optional<Instant> instant(String value) {
        try {
            return Optional.of(Instant.parse(value));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static Optional<String> string(Mail mail, AttributeName name) {
        return mail.getAttribute(name)
            .map(Attribute::getValue)
            .map(AttributeValue::value)
            .filter(String.class::isInstance)
            .map(String.class::cast);
    }

    public String listener() {
        return listener;
    }

    /** The authenticated user (a full address with James's virtual hosting); empty for a trusted network. */
    public Optional<String> user() {
        return user;
    }

    public Optional<String> tlsProtocol() {
        return tlsProtocol;
    }

    public Optional<String> clientAddress() {
        return clientAddress;
    }

    /** When the submission listener accepted the message (parsed on demand: most mailets never ask). */
    public Optional<Instant> receivedAt() {
        return receivedAt.flatMap(Submission::instant);
    }

    /** James's SMTP session id (set by its AddDefaultAttributesMessageHook), as it appears in James's log. */
    public Optional<String> sessionId() {
        return sessionId;
    }
}
