package org.msa4james.smtp.reply;

import org.apache.james.protocols.api.Response;
import org.apache.james.protocols.smtp.SMTPResponse;

/**
 * The replies to the DSN parameters of RFC 3461 (RET, ENVID on MAIL; NOTIFY, ORCPT on RCPT). RFC 5321 section 4.2.3:
 * 501, syntax error in parameters; RFC 3463: 5.5.4, invalid command arguments. The text names the parameter and says
 * what is expected; it never repeats the client's value.
 */
public final class DsnReplies {
    private static final String SYNTAX_ERROR_IN_PARAMETERS = "501";

    private DsnReplies() {
    }

    /** A DSN parameter whose value does not follow RFC 3461, e.g. "501 5.5.4 Invalid RET parameter: must be FULL or HDRS". */
    public static Response invalidParameter(String parameter, String problem) {
        return new SMTPResponse(SYNTAX_ERROR_IN_PARAMETERS, "5.5.4 Invalid " + parameter + " parameter: " + problem).immutable();
    }

    /** A DSN parameter given twice in one command, e.g. "501 5.5.4 Parameter NOTIFY given more than once". */
    public static Response repeatedParameter(String parameter) {
        return new SMTPResponse(SYNTAX_ERROR_IN_PARAMETERS, "5.5.4 Parameter " + parameter + " given more than once").immutable();
    }
}
