package org.msa4james.diagnostics;

/**
 * The diagnostics store cannot answer now (its shared store, e.g. Redis, does not); webadmin answers 503. Recording
 * never throws it: a store that cannot record a defect where it should records it somewhere else.
 */
public class DiagnosticsUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DiagnosticsUnavailableException(String message) {
        super(message);
    }
}
