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

    // James's own replies met by the open-relay matrix (measured on James 3.8.1 with the shipped configuration)

    /** AUTH on port 25, where no mechanism is enabled (plainAuthEnabled=false); no enhanced status code. */
    public static final String MX_AUTH_UNSUPPORTED = "504 Unrecognized Authentication Type";
    /** AUTH with a wrong password; no enhanced status code. */
    public static final String AUTHENTICATION_FAILED = "535 Authentication Failed";
    /** RCPT after a refused (or missing) MAIL. */
    public static final String NEED_MAIL_BEFORE_RCPT = "503 5.5.0 Need MAIL before RCPT";
    /** An RCPT address James cannot parse, on port 25 (587 and 465 answer RECIPIENT_SYNTAX_ERROR instead). */
    public static final String MX_RECIPIENT_SYNTAX_ERROR = "553 5.1.3 Syntax error in recipient address";

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

    // header checks at the end of DATA (RFC 6409 6.3, 8.1, 4.2; RFC 5322 3.6)

    public static final String SEVERAL_AUTHORS_WITHOUT_SENDER = "554 5.6.0 Header field From has several addresses but no Sender field";

    public static String headerFieldMissing(String field) {
        return "554 5.6.0 Header field " + field + " is missing";
    }

    public static String headerFieldRepeated(String field, int times) {
        return "554 5.6.0 Header field " + field + " appears " + times + " times; RFC 5322 allows it once";
    }

    /** An address list (From, Reply-To, To, Cc, Bcc) that does not parse, with the parser's description. */
    public static String headerFieldInvalid(String field, String problem) {
        return "554 5.6.0 Header field " + field + " is not a valid address list: " + problem;
    }

    public static String headerFieldEightBit(String field) {
        return "554 5.6.7 Header field " + field + " contains 8-bit characters; encode them (RFC 2047)";
    }

    public static String headerDomainNotQualified(String field, String domain) {
        return "554 5.1.2 Header field " + field + " has an address with domain '" + domain + "' that is not fully qualified";
    }

    public static String authorNotEntitled(String author, String user) {
        return "550 5.7.1 Header field From has <" + author + "> which " + user + " may not send as";
    }

    // DSN parameters (RFC 3461): malformed or repeated
    public static final String INVALID_RET = "501 5.5.4 Invalid RET parameter: must be FULL or HDRS";
    public static final String ENVID_TOO_LONG = "501 5.5.4 Invalid ENVID parameter: must be at most 100 characters";
    public static final String INVALID_ENVID = "501 5.5.4 Invalid ENVID parameter: must be xtext (printable US-ASCII, '+' and '=' written as +2B and +3D)";
    public static final String INVALID_NOTIFY = "501 5.5.4 Invalid NOTIFY parameter: must be NEVER, or SUCCESS, FAILURE and DELAY separated by commas, each at most once";
    public static final String NOTIFY_NEVER_COMBINED = "501 5.5.4 Invalid NOTIFY parameter: NEVER cannot be combined with SUCCESS, FAILURE or DELAY";
    public static final String ORCPT_WITHOUT_TYPE = "501 5.5.4 Invalid ORCPT parameter: must be an address type, ';' and the address, e.g. rfc822;bob@example.com";
    public static final String ORCPT_UNSUPPORTED_TYPE = "501 5.5.4 Invalid ORCPT parameter: only the address type rfc822 is supported";
    public static final String ORCPT_NOT_XTEXT = "501 5.5.4 Invalid ORCPT parameter: the address must be xtext (printable US-ASCII, '+' and '=' written as +2B and +3D)";
    public static final String ORCPT_NOT_AN_ADDRESS = "501 5.5.4 Invalid ORCPT parameter: the address is not a valid mail address";

    public static String repeatedDsnParameter(String parameter) {
        return "501 5.5.4 Parameter " + parameter + " given more than once";
    }

    /** ValidRcptHandler: a local domain, but no such user. */
    public static String unknownLocalUser(String recipient) {
        return "550 5.1.1 Unknown user: " + recipient;
    }

    /**
     * ValidRcptHandler when the local part cannot be a James user name (a quoted local part containing '@'): James
     * 3.8.1 fails while looking the user up and answers a temporary failure, although the condition is permanent.
     */
    public static String unexpectedErrorForRecipient(String recipient) {
        return "451 4.0.0 Unexpected error for " + recipient;
    }
}
