package org.msa4james.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The words of a delivery status notification for the person who reads it: its Subject, and its first part, which says
 * what happened to each recipient and what will happen next, in plain words, with the next hop's answer where there
 * was one. The machine-readable part says the same for software (RFC 3464 section 2).
 *
 * <pre>
 * This is the mail system at msa.example.test.
 *
 * Your message could not be delivered to this recipient. The mail system has
 * given up and will not try again.
 *
 * &lt;carol@example.com&gt;: the mailbox does not exist.
 *     The mail server mx.example.com answered:
 *     550 5.1.1 &lt;carol@example.com&gt;: no such user
 *
 * Your message: "Quarterly report", sent Sat, 28 Nov 2026 18:55:39 +0000.
 * The technical report for mail software and a copy of your message are
 * attached.
 * </pre>
 */
public final class ReportText {
    private static final String NL = "\n";
    private static final String INDENT = "    ";
    private static final int WIDTH = 76;

    private ReportText() {
    }

    /**
     * E.g. "Undeliverable: Quarterly report"; the action's words alone for a message without Subject. Line breaks of
     * the original (possible in a decoded encoded-word) become spaces: the report's Subject is one field.
     */
    public static String subject(ReportAction action, Optional<String> originalSubject) {
        String prefix = subjectPrefix(action);
        return originalSubject.map(subject -> subject.replaceAll("[\\r\\n\\t]+", " ").trim())
            .filter(subject -> !subject.isEmpty())
            .map(subject -> prefix + ": " + subject)
            .orElse(prefix);
    }

    /**
     * @param originalSubject the Subject of the message reported on, decoded
     * @param returned what of the message is attached: the whole message, its header only, or nothing
     */
    public static String body(DeliveryReport report, Optional<String> originalSubject, Returned returned) {
        List<String> lines = new ArrayList<>();
        lines.add("This is the mail system at " + report.reportingMta() + ".");
        lines.add("");
        paragraph(lines, "", introduction(report));
        for (RecipientStatus recipient : report.recipients()) {
            lines.add("");
            paragraph(lines, "", "<" + recipient.finalRecipient() + ">: " + explanation(report.action(), recipient) + ".");
            recipient.diagnosticCode().ifPresent(reply -> {
                lines.add(INDENT + recipient.remoteMta().map(mta -> "The mail server " + DeliveryStatusFields.mtaName(mta))
                    .orElse("The next mail server") + " answered:");
                lines.add(INDENT + DeliveryStatusFields.oneLine(reply));
            });
        }
        lines.add("");
        String about = "Your message" + originalSubject.map(String::trim).filter(subject -> !subject.isEmpty())
            .map(subject -> ": \"" + subject + "\"").orElse(" had no subject")
            + report.arrivalDate().map(date -> ", sent " + DeliveryStatusFields.date(date)).orElse("") + ".";
        paragraph(lines, "", about + " " + attachments(returned));
        return String.join(NL, lines) + NL;
    }

    private static String subjectPrefix(ReportAction action) {
        switch (action) {
            case FAILED:
                return "Undeliverable";
            case DELAYED:
                return "Delivery delayed";
            case DELIVERED:
                return "Delivered";
            default:
                return "Relayed";
        }
    }

    private static String introduction(DeliveryReport report) {
        boolean one = report.recipients().size() == 1;
        String recipients = one ? "this recipient" : "these " + report.recipients().size() + " recipients";
        switch (report.action()) {
            case FAILED:
                return "Your message could not be delivered to " + recipients
                    + ". The mail system has given up and will not try again.";
            case DELAYED:
                return "Your message has not been delivered to " + recipients + " yet. The mail system keeps trying"
                    + report.recipients().get(0).willRetryUntil().map(until -> " until " + DeliveryStatusFields.date(until)).orElse("")
                    + " and will tell you if it gives up. You do not need to send the message again.";
            case DELIVERED:
                return "Your message was delivered to the mailbox of " + recipients + ".";
            default:
                return "Your message was handed on to the next mail server for " + recipients
                    + ". That server does not report delivery, so no further notice will come.";
        }
    }

    private static String explanation(ReportAction action, RecipientStatus recipient) {
        switch (action) {
            case DELIVERED:
                return "delivered";
            case RELAYED:
                return "handed on to " + recipient.remoteMta().map(DeliveryStatusFields::mtaName).orElse("the next mail server");
            default:
                return StatusCodes.describe(recipient.status());
        }
    }

    private static String attachments(Returned returned) {
        switch (returned) {
            case MESSAGE:
                return "The technical report for mail software and a copy of your message are attached.";
            case HEADER:
                return "The technical report for mail software and the header of your message are attached.";
            default:
                return "The technical report for mail software is attached.";
        }
    }

    /** Words wrapped at {@value #WIDTH} characters, each line starting with {@code indent}. */
    private static void paragraph(List<String> lines, String indent, String text) {
        StringBuilder line = new StringBuilder(indent);
        for (String word : text.split(" ")) {
            if (line.length() > indent.length() && line.length() + 1 + word.length() > WIDTH) {
                lines.add(line.toString());
                line = new StringBuilder(indent);
            }
            if (line.length() > indent.length()) {
                line.append(' ');
            }
            line.append(word);
        }
        lines.add(line.toString());
    }

    /** What of the original message a report carries (RFC 3461 section 4.3, RET). */
    public enum Returned {
        MESSAGE,
        HEADER,
        NOTHING
    }
}
