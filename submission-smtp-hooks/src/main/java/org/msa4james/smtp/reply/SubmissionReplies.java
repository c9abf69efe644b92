package org.msa4james.smtp.reply;

import org.apache.james.core.MailAddress;
import org.apache.james.core.Username;
import org.apache.james.protocols.api.Response;
import org.apache.james.protocols.smtp.SMTPResponse;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.HookReturnCode;

/**
 * Every reply the submission hooks give, each with its reply code (RFC 5321) and enhanced status code
 * (RFC 3463) chosen on purpose, and a text that names the problem.
 */
public final class SubmissionReplies {

    /** RFC 4954 section 4: 538 when the mechanism may only be used over an encrypted connection. */
    public static final Response ENCRYPTION_REQUIRED_FOR_AUTH =
        new SMTPResponse("538", "5.7.11 Encryption required: issue STARTTLS before AUTH").immutable();

    /** RFC 6409 section 4.3: MAIL in a session neither authenticated nor from a trusted network. */
    public static final HookResult AUTHENTICATION_REQUIRED = deny("530",
        "5.7.0 Authentication required: log in with AUTH before MAIL");

    /** RFC 6409 section 6.4: an unauthenticated session may only write to the postmaster. */
    public static final HookResult AUTHENTICATION_REQUIRED_EXCEPT_POSTMASTER = deny("530",
        "5.7.0 Authentication required: without AUTH only the postmaster of a local domain may be a recipient");

    /** RFC 6409 section 5.1: an envelope recipient whose syntax is invalid. */
    public static final Response RECIPIENT_SYNTAX_ERROR =
        new SMTPResponse("501", "5.1.3 Syntax error in recipient address").immutable();

    /** A dependency (recipient rewrite table, domain list) failed: the client should try again later. */
    public static final HookResult TEMPORARY_FAILURE = denySoft("451",
        "4.3.0 Temporary server failure while checking the address; try again later");

    /** The spooled message's header could not be read at the end of DATA: the client should try again later. */
    public static final HookResult HEADER_UNREADABLE = denySoft("451",
        "4.3.0 Temporary server failure while reading the message header; try again later");

    /** Longest field name, domain, address or parser message quoted in a reply (RFC 5321 4.5.3.1.5: 512-octet lines). */
    private static final int MAX_QUOTED_FIELD_NAME = 64;
    private static final int MAX_QUOTED_TEXT = 160;
    private static final String ELLIPSIS = "...";

    private SubmissionReplies() {
    }

    /** RFC 6409 section 6.1: the authenticated user may not use this envelope sender. */
    public static HookResult senderNotEntitled(MailAddress sender, Username user) {
        return deny("550", "5.7.1 Sender <" + sender.asString() + "> is not an address that "
            + user.asString() + " may send from");
    }

    /** RFC 6409 section 4.2: a sender domain that is not fully qualified (RFC 3463 5.1.8, bad sender's system address). */
    public static HookResult senderDomainNotQualified(String domain) {
        return deny("554", "5.1.8 Sender address domain '" + domain + "' is not fully qualified");
    }

    /** RFC 6409 section 4.2: a recipient domain that is not fully qualified (RFC 3463 5.1.2, bad destination system address). */
    public static HookResult recipientDomainNotQualified(String domain) {
        return deny("554", "5.1.2 Recipient address domain '" + domain + "' is not fully qualified");
    }

    /** RFC 6409 section 6.2 and RFC 5321 section 4.5.3.1.10: too many recipients for one message. */
    public static HookResult tooManyRecipients(int limit) {
        return denySoft("452", "4.5.3 Too many recipients: at most " + limit + " per message");
    }

    /** RFC 6409 section 6.3, RFC 5322 section 3.6: a required header field is absent (RFC 3463 5.6.0, other media error). */
    public static HookResult headerFieldMissing(String field) {
        return deny("554", "5.6.0 Header field " + fieldName(field) + " is missing");
    }

    /** RFC 5322 section 3.6: a field allowed once (From, Sender) appears several times. */
    public static HookResult headerFieldRepeated(String field, String times) {
        return deny("554", "5.6.0 Header field " + fieldName(field) + " appears " + quoted(times)
            + " times; RFC 5322 allows it once");
    }

    /** RFC 6409 sections 5.1 and 6.3: an address field whose syntax is invalid; names the parser's problem. */
    public static HookResult headerFieldInvalid(String field, String problem) {
        return deny("554", "5.6.0 Header field " + fieldName(field) + " is not a valid address"
            + (field.equalsIgnoreCase("Sender") || field.equalsIgnoreCase("Resent-Sender") ? "" : " list")
            + ": " + quoted(problem));
    }

    /**
     * RFC 5321 section 4.5.3.1.6, RFC 5322 section 2.1.1: a line of the message was longer than James can read (8,192
     * octets), so the message cannot be received whole (RFC 3463 5.6.0, other media error).
     */
    public static HookResult lineTooLong() {
        return deny("554", "5.6.0 Message refused: a line is longer than 8192 octets and could not be received; "
            + "RFC 5322 allows 998 per line");
    }

    /** RFC 5322 section 3.6.2: From names no mailbox (only empty groups), so the message has no author. */
    public static HookResult headerFieldWithoutAddress(String field) {
        return deny("554", "5.6.0 Header field " + fieldName(field) + " has no address");
    }

    /** RFC 5322 section 3.6.2: Sender is a single mailbox. */
    public static HookResult headerFieldNotOneMailbox(String field) {
        return deny("554", "5.6.0 Header field " + fieldName(field) + " must hold exactly one address");
    }

    /** RFC 5322 section 3.6.2: a message with several authors must say in Sender who sent it. */
    public static HookResult severalAuthorsWithoutSender() {
        return deny("554", "5.6.0 Header field From has several addresses but no Sender field");
    }

    /**
     * RFC 6409 section 6.3, RFC 6532: raw 8-bit bytes in a header field of a message submitted without SMTPUTF8, which
     * James 3.8.1 does not offer. 5.6.7 is the code RFC 6531 registers for non-ASCII addresses without SMTPUTF8; it is
     * used here for every header field, so that a client sees one code for "encode your header".
     */
    public static HookResult headerFieldEightBit(String field) {
        return deny("554", "5.6.7 Header field " + fieldName(field) + " contains 8-bit characters; encode them (RFC 2047)");
    }

    /** RFC 6409 section 4.2: a domain in an address header field that is not fully qualified (RFC 3463 5.1.2). */
    public static HookResult headerDomainNotQualified(String field, String domain) {
        return deny("554", "5.1.2 Header field " + fieldName(field) + " has an address with domain '" + quoted(domain)
            + "' that is not fully qualified");
    }

    /** RFC 6409 section 6.3: the user may not send as any author in From (RFC 3463 5.7.1, delivery not authorized). */
    public static HookResult authorNotEntitled(String author, Username user) {
        return deny("550", "5.7.1 Header field From has <" + quoted(author) + "> which " + quoted(user.asString())
            + " may not send as");
    }

    private static String fieldName(String field) {
        return printable(field, MAX_QUOTED_FIELD_NAME);
    }

    private static String quoted(String text) {
        return printable(text, MAX_QUOTED_TEXT);
    }

    /**
     * Text from the client's message made safe for one reply line: a run of white space (space, CR, LF, TAB: folding)
     * becomes one space, any other character outside printable US-ASCII becomes '?', and the result is cut at {@code max}
     * characters (ending with "...").
     */
    static String printable(String text, int max) {
        StringBuilder result = new StringBuilder(Math.min(text.length(), max + ELLIPSIS.length()));
        boolean inWhiteSpace = false;
        for (int index = 0; index < text.length(); index++) {
            char c = text.charAt(index);
            if (c == ' ' || c == '\r' || c == '\n' || c == '\t') {
                if (!inWhiteSpace) {
                    result.append(' ');
                }
                inWhiteSpace = true;
                continue;
            }
            inWhiteSpace = false;
            result.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        if (result.length() > max) {
            result.setLength(max - ELLIPSIS.length());
            result.append(ELLIPSIS);
        }
        return result.toString();
    }

    private static HookResult deny(String code, String description) {
        return result(HookReturnCode.deny(), code, description);
    }

    private static HookResult denySoft(String code, String description) {
        return result(HookReturnCode.denySoft(), code, description);
    }

    private static HookResult result(HookReturnCode returnCode, String code, String description) {
        return HookResult.builder()
            .hookReturnCode(returnCode)
            .smtpReturnCode(code)
            .smtpDescription(description)
            .build();
    }
}
