package org.msa4james.benchmark;

import java.util.Collections;
import java.util.List;

import javax.mail.MessagingException;

import org.apache.james.server.core.MailImpl;
import org.apache.james.server.core.MimeMessageWrapper;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * The fresh mail of one operation of {@link HeaderMailetsBenchmark} and {@link SubmissionChainBenchmark}, as the
 * spool hands it over ({@link SubmittedMessage#mail}) over a counting source of the shared message bytes, and the
 * counters of what the operations read from their sources: {@code sourceOctets / mails} is the number of octets one
 * operation read. After every operation, out of the measured time: the mail kept its message (no copy), then the
 * benchmark's own check of the header, then the mail is disposed of.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.EVENTS)
public class FreshMail {
    /** Octets read from the message sources, in this iteration. */
    public long sourceOctets;
    /** Mails (operations) in this iteration. */
    public long mails;

    MailImpl mail;
    MimeMessageWrapper message;
    /** Whether the IsSubmission matcher matched the mail (SubmissionChainBenchmark). */
    boolean matched;
    private final BenchmarkMessages.FreshMails freshMails = new BenchmarkMessages.FreshMails(SubmittedMessage::mail);

    /** The message bytes, made once per trial and shared, never copied. */
    @State(Scope.Benchmark)
    public static class Message {
        /** Size of the whole message, header included. */
        @Param({"2KiB", "20MiB"})
        public String size;

        byte[] bytes;

        @Setup(Level.Trial)
        public void make() {
            bytes = SubmittedMessage.bytes(BenchmarkMessages.octets(size));
        }
    }

    @Setup(Level.Iteration)
    public void resetCounters() {
        sourceOctets = 0;
        mails = 0;
    }

    @Setup(Level.Invocation)
    public void newMail(Message submitted) throws MessagingException {
        mail = freshMails.next(submitted.bytes);
        message = (MimeMessageWrapper) mail.getMessage();
        matched = false;
    }

    @TearDown(Level.Invocation)
    public void checkAndDispose(BenchmarkParams params) throws MessagingException {
        sourceOctets += freshMails.octetsRead();
        mails++;
        String benchmark = BenchmarkMessages.benchmarkName(params);
        try {
            if (mail.getMessage() != message) {
                throw new IllegalStateException(benchmark + ": the mail's message was replaced (copied or re-encoded)");
            }
            List<String> lines = Collections.list(message.getAllHeaderLines());
            if (params.getBenchmark().contains(SubmissionChainBenchmark.class.getSimpleName() + ".")) {
                SubmissionChainBenchmark.check(this, benchmark, lines);
            } else {
                HeaderMailetsBenchmark.check(this, benchmark, lines);
            }
        } finally {
            mail.dispose();
        }
    }

    static void require(String benchmark, boolean condition, String problem, List<String> lines) {
        if (!condition) {
            throw new IllegalStateException(benchmark + ": " + problem + "; header: " + lines);
        }
    }
}
