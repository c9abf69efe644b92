package org.msa4james.report;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;

import org.msa4james.completion.DateFieldCompletion;

import com.google.common.net.InetAddresses;

/**
 * The machine-readable part of a delivery status notification: the body of its {@code message/delivery-status} part
 * (RFC 3464 section 2), per-message fields, then one block per recipient, each after an empty line, CRLF line ends.
 *
 * <pre>
 * Original-Envelope-Id: QQ314159
 * Reporting-MTA: dns; msa.example.test
 * Arrival-Date: Sat, 28 Nov 2026 18:55:39 +0000
 *
 * Original-Recipient: rfc822; carol@example.com
 * Final-Recipient: rfc822; carol@example.com
 * Action: failed
 * Status: 5.1.1
 * Remote-MTA: dns; mx.example.com
 * Diagnostic-Code: smtp; 550 5.1.1 &lt;carol@example.com&gt;: no such user
 * Last-Attempt-Date: Sat, 28 Nov 2026 18:55:41 +0000
 * </pre>
 *
 * <p>Dates are RFC 5322 date-times in UTC. Text from elsewhere (a next hop's reply, an envelope id) is written on one
 * line of printable US-ASCII, anything else replaced by '?', and folded at spaces beyond 78 characters.</p>
 */
public final class DeliveryStatusFields {
    private static final String CRLF = "\r\n";
    private static final int FOLD_AT = 78;
    private static final DateFieldCompletion DATES = new DateFieldCompletion(ZoneOffset.UTC);

    private DeliveryStatusFields() {
    }

    public static String render(DeliveryReport report) {
        StringBuilder body = new StringBuilder();
        report.originalEnvelopeId().ifPresent(envId -> field(body, "Original-Envelope-Id", envId));
        field(body, "Reporting-MTA", "dns; " + report.reportingMta());
        report.arrivalDate().ifPresent(date -> field(body, "Arrival-Date", date(date)));
        for (RecipientStatus recipient : report.recipients()) {
            body.append(CRLF);
            recipient.originalRecipient().ifPresent(original -> field(body, "Original-Recipient", "rfc822; " + original));
            field(body, "Final-Recipient", "rfc822; " + recipient.finalRecipient());
            field(body, "Action", report.action().field());
            field(body, "Status", recipient.status());
            recipient.remoteMta().ifPresent(mta -> field(body, "Remote-MTA", "dns; " + mtaName(mta)));
            recipient.diagnosticCode().ifPresent(reply -> field(body, "Diagnostic-Code", "smtp; " + reply));
            field(body, "Last-Attempt-Date", date(recipient.lastAttemptDate()));
            recipient.willRetryUntil().ifPresent(date -> field(body, "Will-Retry-Until", date(date)));
        }
        return body.toString();
    }

    /** RFC 5322 date-time in UTC, e.g. "Sat, 28 Nov 2026 18:55:39 +0000". */
    public static String date(Instant instant) {
        return DATES.format(instant);
    }

    /** A host name as it is, an IP address literal in brackets, e.g. "[192.0.2.1]". */
    static String mtaName(String host) {
        Optional<String> literal = Optional.of(host)
            .filter(InetAddresses::isInetAddress)
            .map(address -> "[" + (address.contains(":") ? "IPv6:" : "") + address + "]");
        return literal.orElse(host);
    }

    /** Text on one line of printable US-ASCII: line breaks and tabs become a space, other characters '?'. */
    public static String oneLine(String text) {
        StringBuilder result = new StringBuilder(text.length());
        boolean space = false;
        for (int index = 0; index < text.length(); index++) {
            char c = text.charAt(index);
            if (c == '\r' || c == '\n' || c == '\t' || c == ' ') {
                space = true;
                continue;
            }
            if (space && result.length() > 0) {
                result.append(' ');
            }
            space = false;
            result.append(c >= 0x21 && c < 0x7f ? c : '?');
        }
        return result.toString();
    }

    private static void field(StringBuilder body, String name, String value) {
        String line = name + ": " + oneLine(value);
        while (line.length() > FOLD_AT) {
            int fold = line.lastIndexOf(' ', FOLD_AT);
            if (fold <= name.length() + 1) {
                fold = line.indexOf(' ', FOLD_AT);
            }
            if (fold < 0) {
                break;
            }
            body.append(line, 0, fold).append(CRLF);
            line = line.substring(fold);
        }
        body.append(line).append(CRLF);
    }
}
