package org.msa4james.dsn;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;

import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeUtils;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;

import com.google.common.collect.ImmutableMap;

/**
 * The Mail attributes with which msa4james carries what a delivery status notification (RFC 3464) needs from the SMTP
 * session to the report: when the message arrived, and per recipient what the last delivery attempt found. The DSN
 * parameters themselves (RET, ENVID, NOTIFY, ORCPT) are James's own ({@code Mail#dsnParameters}).
 *
 * <p>Every value is a String, a Boolean or a map of Strings: values a mail queue keeps when it stores a mail as JSON
 * (James's JMS queue keeps no other kind), so that they survive the spool, RemoteDelivery's outgoing queue and its
 * retries. Instants are ISO-8601 strings, e.g. {@code 2026-11-28T18:55:39.123Z}; per-recipient maps are keyed by the
 * recipient address as {@code MailAddress#asString()} writes it.</p>
 */
public final class DsnAttributes {
    private static final String PREFIX = "org.msa4james.dsn.";

    /** When the SMTP listener accepted the message (RFC 3464 Arrival-Date), an ISO-8601 instant. */
    public static final AttributeName ARRIVAL_DATE = AttributeName.of(PREFIX + "arrivalDate");
    /** Per recipient, the RFC 3463 status code of the last attempt, e.g. "5.1.1". */
    public static final AttributeName STATUS = AttributeName.of(PREFIX + "status");
    /** Per recipient, the next hop's SMTP reply to the last attempt, e.g. "550 5.1.1 No such user". */
    public static final AttributeName DIAGNOSTIC_CODE = AttributeName.of(PREFIX + "diagnosticCode");
    /** Per recipient, the name of the mail server of the last attempt (RFC 3464 Remote-MTA). */
    public static final AttributeName REMOTE_MTA = AttributeName.of(PREFIX + "remoteMta");
    /** When the last delivery attempt was made, an ISO-8601 instant. */
    public static final AttributeName LAST_ATTEMPT_DATE = AttributeName.of(PREFIX + "lastAttemptDate");
    /** Until when delivery will be retried (RFC 3464 Will-Retry-Until), an ISO-8601 instant. */
    public static final AttributeName WILL_RETRY_UNTIL = AttributeName.of(PREFIX + "willRetryUntil");
    /** True once the "delayed" report of a mail has been sent: it is sent once, after the first temporary failure. */
    public static final AttributeName DELAY_REPORTED = AttributeName.of(PREFIX + "delayReported");

    private DsnAttributes() {
    }

    public static void setInstant(Mail mail, AttributeName name, Instant value) {
        mail.setAttribute(new Attribute(name, AttributeValue.of(value.toString())));
    }

    /** The instant, empty when absent or not an ISO-8601 instant. */
    public static Optional<Instant> instant(Mail mail, AttributeName name) {
        return AttributeUtils.getValueAndCastFromMail(mail, name, String.class)
            .flatMap(value -> {
                try {
                    return Optional.of(Instant.parse(value));
                } catch (DateTimeParseException e) {
                    return Optional.empty();
                }
            });
    }

    /** Sets a per-recipient map; an empty map removes the attribute. */
    public static void setPerRecipient(Mail mail, AttributeName name, Map<String, String> values) {
        if (values.isEmpty()) {
            mail.removeAttribute(name);
            return;
        }
        ImmutableMap.Builder<String, AttributeValue<?>> map = ImmutableMap.builder();
        values.forEach((recipient, value) -> map.put(recipient, AttributeValue.of(value)));
        mail.setAttribute(new Attribute(name, AttributeValue.of(map.build())));
    }

    /** A per-recipient map, empty when absent; entries whose value is not a String are left out. */
    public static Map<String, String> perRecipient(Mail mail, AttributeName name) {
        return mail.getAttribute(name)
            .flatMap(attribute -> attribute.getValue().asMapAttributeValueOf(String.class))
            .map(value -> value.value().entrySet().stream()
                .collect(ImmutableMap.toImmutableMap(Map.Entry::getKey, entry -> entry.getValue().value())))
            .orElse(ImmutableMap.of());
    }

    public static void setFlag(Mail mail, AttributeName name) {
        mail.setAttribute(new Attribute(name, AttributeValue.of(true)));
    }

    public static boolean flag(Mail mail, AttributeName name) {
        return AttributeUtils.getValueAndCastFromMail(mail, name, Boolean.class).orElse(false);
    }
}
