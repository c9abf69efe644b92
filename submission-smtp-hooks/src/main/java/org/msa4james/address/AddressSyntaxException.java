package org.msa4james.address;

/**
 * An address header value that is not a valid RFC 5322 address list; the message says what is wrong, and
 * {@link #position()} where (0-based, in the parsed text).
 */
public class AddressSyntaxException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int position;

    public AddressSyntaxException(String problem, int position) {
        super(problem);
        this.position = position;
    }

    public int position() {
        return position;
    }
}
