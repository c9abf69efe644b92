package org.msa4james.concealment;

import java.util.OptionalInt;

/**
 * A rewrite map that cannot be used: a line with an error, or a file that cannot be read. The message names the
 * file and, for a line with an error, its number (from 1): {@code /opt/msa/conf/address-rewrite.map, line 3: ...}.
 */
public class RewriteMapException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String source;
    private final OptionalInt line;
    private final String problem;

    RewriteMapException(String source, OptionalInt line, String problem) {
        super(source + line.stream().mapToObj(number -> ", line " + number).findFirst().orElse("") + ": " + problem);
        this.source = source;
        this.line = line;
        this.problem = problem;
    }

    RewriteMapException(String source, String problem, Throwable cause) {
        this(source, OptionalInt.empty(), problem);
        initCause(cause);
    }

    /** The file (or other source) of the map. */
    public String source() {
        return source;
    }

    /** The number of the line with the error, from 1; empty when the error is not on one line. */
    public OptionalInt line() {
        return line;
    }

    /** What is wrong, without file and line. */
    public String problem() {
        return problem;
    }
}
