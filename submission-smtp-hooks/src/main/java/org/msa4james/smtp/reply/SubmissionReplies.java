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
