package org.msa4james.it;

/**
 * The exact reply lines the tests expect, written down independently of the hooks' own constants
 * (the tests are the oracle, not a copy of the code under test).
 */
public final class ExpectedReplies {

    // rule 1: no AUTH before TLS
    public static final String ENCRYPTION_REQUIRED = "538 5.7.11 Encryption required: issue STARTTLS before AUTH";

    /** James's own reply to STARTTLS. */
    public static final String READY_TO_START_TLS = "220 2.0.0 Ready to start TLS";

    /** James's reply once a message is accepted at the end of DATA. */
    public static final String MESSAGE_ACCEPTED = "250 2.6.0 Message received";

    /** James's reply to RSET. */
    public static final String RESET_OK = "250 2.0.0 OK";

    /** James's own reply to a successful AUTH (it carries no enhanced status code). */
    public static final String AUTHENTICATION_SUCCESSFUL = "235 Authentication Successful";

    // rule 2: MAIL needs AUTH (RFC 6409 4.3), postmaster exception (6.4)
    public static final String AUTHENTICATION_REQUIRED = "530 5.7.0 Authentication required: log in with AUTH before MAIL";
    public static final String ONLY_POSTMASTER_WITHOUT_AUTH =
        "530 5.7.0 Authentication required: without AUTH only the postmaster of a local domain may be a recipient";

    // rule 4: envelope syntax (5.1) and qualification (4.2)
    public static final String RECIPIENT_SYNTAX_ERROR = "501 5.1.3 Syntax error in recipient address";
    /** James's own reply to an invalid MAIL FROM address. */
    public static final String SENDER_SYNTAX_ERROR = "501 5.1.7 Syntax error in sender address";

    // rule 6: what James 3.8.1 answers to a command it does not implement (measured)
    public static final String ETRN_UNRECOGNIZED = "500 5.5.1 Command ETRN unrecognized.";
    public static final String ATRN_UNRECOGNIZED = "500 5.5.1 Command ATRN unrecognized.";

    // rule 7: James's MX refusal to relay for an unauthenticated client (measured)
    public static final String RELAYING_DENIED = "550 5.7.1 Requested action not taken: relaying denied";

    private ExpectedReplies() {
    }

    /** James's reply to an accepted MAIL FROM (the empty string for the null sender). */
    public static String senderOk(String sender) {
        return "250 2.1.0 Sender <" + sender + "> OK";
    }

    /** James's reply to an accepted RCPT TO, echoing the recipient as it will be delivered. */
    public static String recipientOk(String recipient) {
        return "250 2.1.5 Recipient <" + recipient + "> OK";
    }

    /** Rule 3 (RFC 6409 6.1). */
    public static String senderNotEntitled(String sender, String user) {
        return "550 5.7.1 Sender <" + sender + "> is not an address that " + user + " may send from";
    }

    /** Rule 4 (RFC 6409 4.2), recipient side. */
    public static String recipientDomainNotQualified(String domain) {
        return "554 5.1.2 Recipient address domain '" + domain + "' is not fully qualified";
    }

    /** Rule 4 (RFC 6409 4.2), sender side. */
    public static String senderDomainNotQualified(String domain) {
        return "554 5.1.8 Sender address domain '" + domain + "' is not fully qualified";
    }

    /** Rule 5. */
    public static String tooManyRecipients(int max) {
        return "452 4.5.3 Too many recipients: at most " + max + " per message";
    }
}
