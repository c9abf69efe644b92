package org.msa4james.dsn;

/**
 * A DSN parameter of MAIL or RCPT (RFC 3461 section 4) that is malformed or given more than once: names the parameter
 * ({@code RET}, {@code ENVID}, {@code NOTIFY} or {@code ORCPT}) and, for a malformed one, what is wrong with it.
 */
public class InvalidDsnParameterException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String parameter;
    private final boolean repeated;

    private InvalidDsnParameterException(String parameter, String problem, boolean repeated) {
        super(parameter + ": " + problem);
        this.parameter = parameter;
        this.repeated = repeated;
    }

    static InvalidDsnParameterException malformed(String parameter, String problem) {
        return new InvalidDsnParameterException(parameter, problem, false);
    }

    static InvalidDsnParameterException repeated(String parameter) {
        return new InvalidDsnParameterException(parameter, "given more than once", true);
    }

    /** The parameter's keyword in upper case, e.g. {@code NOTIFY}. */
    public String parameter() {
        return parameter;
    }

    /** True when the parameter is well formed but appears more than once in the command. */
    public boolean isRepeated() {
        return repeated;
    }

    /** What is wrong, in words for a reply, e.g. "must be FULL or HDRS". */
    public String problem() {
        String message = getMessage();
        return message.substring(parameter.length() + 2);
    }
}
