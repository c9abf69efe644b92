package org.msa4james.load;

import java.io.IOException;
import java.time.Duration;

/**
 * A running server of the side-by-side benchmark, as the load generator and the report see it: a STARTTLS submission
 * port on {@link #host()} where {@link #user()} authenticates with AUTH PLAIN and relays to the benchmark's next hop,
 * and the CPU time all its processes have used so far. A {@link JamesProcess} or a {@link PostfixProcess}.
 */
interface Participant extends AutoCloseable {

    /** The variant's name, as in the report. */
    String name();

    String host();

    /** The STARTTLS submission port (587 role). */
    int submissionPort();

    String user();

    String password();

    boolean isAlive();

    /** The last lines of the server's output or log, for error messages. */
    String outputTail();

    /**
     * CPU time (user + system) used so far by every process of the server, those that have exited included (see
     * {@link ProcessCpu}); the difference between two calls is what the server spent in between.
     */
    Duration cpuTime() throws IOException;

    /** Stops every process of the server and deletes its files; idempotent. */
    @Override
    void close();
}
