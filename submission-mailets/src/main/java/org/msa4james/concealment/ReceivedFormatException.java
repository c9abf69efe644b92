package org.msa4james.concealment;

/** A Received field whose client part cannot be located, so it cannot be hidden; the message says why. */
public class ReceivedFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    public ReceivedFormatException(String problem) {
        super(problem);
    }
}
