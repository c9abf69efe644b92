package org.msa4james.report;

import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.google.common.collect.ImmutableMap;

/**
 * RFC 3463 enhanced status codes as a delivery status notification uses them: the code of a next hop's SMTP reply, and
 * what a code means in plain words for the people who read the report.
 */
public final class StatusCodes {
    private static final Pattern STATUS = Pattern.compile("([245])\\.(\\d{1,3})\\.(\\d{1,3})");
    private static final Pattern REPLY = Pattern.compile("([2-5])\\d\\d[ -]([245]\\.\\d{1,3}\\.\\d{1,3})(?:\\s.*)?", Pattern.DOTALL);
    private static final Pattern REPLY_CODE = Pattern.compile("([2-5])\\d\\d(?:[ -].*)?", Pattern.DOTALL);

    /** Meanings by subject and detail ("1.1"), then by subject alone ("1"). */
    private static final Map<String, String> MEANINGS = ImmutableMap.<String, String>builder()
        .put("1.1", "the mailbox does not exist")
        .put("1.2", "the recipient's domain does not exist or accepts no mail")
        .put("1.3", "the recipient's address is not valid")
        .put("1.6", "the mailbox has moved")
        .put("1", "the recipient's address was not accepted")
        .put("2.1", "the mailbox is disabled")
        .put("2.2", "the mailbox is full")
        .put("2.3", "the message is larger than the mailbox accepts")
        .put("2", "the mailbox could not take the message")
        .put("3.4", "the message is too large")
        .put("3", "the receiving mail system has a problem")
        .put("4.1", "the receiving mail server did not answer")
        .put("4.2", "the connection to the receiving mail server broke down")
        .put("4.3", "the recipient's domain could not be looked up")
        .put("4.4", "no mail server was found for the recipient's domain")
        .put("4.6", "the message was sent round in a loop")
        .put("4.7", "delivery has taken too long")
        .put("4", "there was a network or routing problem")
        .put("5", "the receiving mail server did not accept the mail transaction")
        .put("6", "the receiving mail server did not accept the format of the message")
        .put("7.1", "delivery to this recipient is not authorised")
        .put("7", "the receiving mail server refused the message for a security or policy reason")
        .build();

    private StatusCodes() {
    }

    /** Whether {@code status} is an RFC 3463 status code, e.g. "5.1.1". */
    public static boolean isValid(String status) {
        return status != null && STATUS.matcher(status).matches();
    }

    /**
     * The enhanced status code an SMTP reply carries after its reply code (RFC 2034), when its class is the reply's,
     * e.g. "5.1.1" for "550 5.1.1 No such user".
     */
    public static Optional<String> enhancedCode(String reply) {
        Matcher matcher = REPLY.matcher(reply);
        if (matcher.matches() && matcher.group(2).charAt(0) == matcher.group(1).charAt(0)) {
            return Optional.of(matcher.group(2));
        }
        return Optional.empty();
    }

    /**
     * The status code of an SMTP reply: its enhanced status code, else the class of its reply code with "0.0"
     * ("550 No such user" gives "5.0.0"); empty when the text is no SMTP reply.
     */
    public static Optional<String> ofReply(String reply) {
        Optional<String> enhanced = enhancedCode(reply);
        if (enhanced.isPresent()) {
            return enhanced;
        }
        Matcher matcher = REPLY_CODE.matcher(reply);
        return matcher.matches() ? Optional.of(matcher.group(1) + ".0.0") : Optional.empty();
    }

    /** What a status code means, in plain words, e.g. "the mailbox is full" for 5.2.2 or 4.2.2. */
    public static String describe(String status) {
        Matcher matcher = STATUS.matcher(status);
        if (!matcher.matches()) {
            return "the mail system reported a problem";
        }
        if (matcher.group(1).equals("2")) {
            return "the message was accepted";
        }
        String subject = matcher.group(2);
        String meaning = MEANINGS.get(subject + "." + matcher.group(3));
        if (meaning == null) {
            meaning = MEANINGS.get(subject);
        }
        return meaning == null ? "the mail system reported a problem" : meaning;
    }
}
