package org.msa4james.benchmark;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.mail.MessagingException;

import org.apache.james.core.MailAddress;
import org.apache.james.protocols.api.ProtocolSession;
import org.apache.james.protocols.api.Response;
import org.apache.james.protocols.smtp.SMTPResponse;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.server.core.MailImpl;
import org.apache.james.server.core.MimeMessageWrapper;
import org.msa4james.submission.SubmissionAttributes;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.slf4j.LoggerFactory;

/**
 * The handlers of the shipped submission listener that see the message, at the end of DATA, on a 2 KiB and a 20 MiB
 * message ({@link EndOfDataMessage}), and the whole handler chain of one submission. Header work must not read the
 * body: HeaderCheckHook reads the header only, SubmissionMarkHook and SendingRateLimitHook do not read the message.
 *
 * <p>As in the mailet benchmarks of submission-mailets: every operation gets a fresh mail as James builds it at the end
 * of DATA (a MailImpl whose message is a James MimeMessageWrapper over a message source, nothing parsed yet), made in
 * a {@code Level.Invocation} set-up out of the measured time; the message bytes are made once per trial and shared;
 * the source counts the octets read from it ({@code sourceOctets / mails}: octets read per operation); after every
 * operation, out of the measured time, the outcome is checked (every handler accepted, the mark is on the mail, the
 * message was neither replaced nor modified). {@code readHeader} is the floor: James parsing the header of a fresh
 * message, nothing else.</p>
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
@State(Scope.Benchmark)
public class MessageHooksBenchmark {
    static final Response OK = new SMTPResponse("250", "2.0.0 Message received");
    static final Response DATA_OK = new SMTPResponse("250", "2.6.0 Message received");

    /** Size of the whole message, header included. */
    @Param({"2KiB", "20MiB"})
    public String size;

    byte[] message;
    ShippedHooks hooks;
    MailAddress recipient;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
            .setLevel(ch.qos.logback.classic.Level.WARN);
        message = EndOfDataMessage.bytes(BenchmarkMessages.octets(size));
        hooks = new ShippedHooks();
        recipient = new MailAddress("bob@sales.example.test");
    }

    /** The floor: James parsing the header of a fresh message; nothing else. */
    @Benchmark
    public Object readHeader(EndOfData data) throws MessagingException {
        data.accepted = true;
        return data.mail.getMessage().getAllHeaderLines();
    }

    @Benchmark
    public HookResult headerCheckHook(EndOfData data) {
        HookResult result = hooks.headerCheck.onMessage(data.session, data.mail);
        data.accepted = EnvelopeHooksBenchmark.declined(result);
        return result;
    }

    /** Counts the accepted message and its recipients for the user's hourly limits. */
    @Benchmark
    public HookResult sendingRateLimitHookMessage(EndOfData data) {
        HookResult result = hooks.sendingRateLimit.onMessage(data.session, data.mail);
        data.accepted = EnvelopeHooksBenchmark.declined(result);
        return result;
    }

    @Benchmark
    public HookResult submissionMarkHook(EndOfData data) {
        HookResult result = hooks.submissionMark.onMessage(data.session, data.mail);
        data.accepted = EnvelopeHooksBenchmark.declined(result);
        return result;
    }

    /** The message handlers in the shipped order, and the 250 reply to the end of DATA through the refusal log. */
    @Benchmark
    public Response endOfDataHooks(EndOfData data) {
        return endOfData(data, true);
    }

    /**
     * The whole handler chain of one submission, in the order James calls them in a session after AUTH:
     * MAIL FROM:&lt;alice@example.test&gt; (mail hooks, then the 250 through the refusal log), one
     * RCPT TO:&lt;bob@sales.example.test&gt; (the RCPT command handler, the rcpt hooks, the 250), and the end of DATA
     * (the message hooks, the 250). James's own handlers (MAIL, RCPT and DATA parsing, ValidRcptHandler, the spool)
     * are not part of it.
     */
    @Benchmark
    public Response submission(EndOfData data) {
        SMTPSession session = data.session;
        boolean accepted = true;
        // MAIL: James stores the sender in the transaction, then calls the MAIL hooks
        session.setAttachment(SMTPSession.SENDER, EnvelopeHooksBenchmark.SENDER, ProtocolSession.State.Transaction);
        accepted &= EnvelopeHooksBenchmark.declined(hooks.requireAuthentication.doMail(session, EnvelopeHooksBenchmark.SENDER));
        accepted &= EnvelopeHooksBenchmark.declined(hooks.qualifiedEnvelope.doMail(session, EnvelopeHooksBenchmark.SENDER));
        accepted &= EnvelopeHooksBenchmark.declined(hooks.senderEntitlement.doMail(session, EnvelopeHooksBenchmark.SENDER));
        accepted &= EnvelopeHooksBenchmark.declined(hooks.sendingRateLimit.doMail(session, EnvelopeHooksBenchmark.SENDER));
        hooks.refusalLog.onResponse(session, OK, 1, hooks.recipientSyntax);
        hooks.refusalLog.onResponse(session, OK, 1, null);
        // RCPT: the command handler, then the RCPT hooks; James adds the accepted recipient to the transaction
        accepted &= hooks.recipientSyntax.onCommand(session, EnvelopeHooksBenchmark.RCPT) == null;
        accepted &= EnvelopeHooksBenchmark.declined(hooks.requireAuthentication.doRcpt(session, EnvelopeHooksBenchmark.SENDER, recipient));
        accepted &= EnvelopeHooksBenchmark.declined(hooks.qualifiedEnvelope.doRcpt(session, EnvelopeHooksBenchmark.SENDER, recipient));
        accepted &= EnvelopeHooksBenchmark.declined(hooks.recipientLimit.doRcpt(session, EnvelopeHooksBenchmark.SENDER, recipient));
        accepted &= EnvelopeHooksBenchmark.declined(hooks.sendingRateLimit.doRcpt(session, EnvelopeHooksBenchmark.SENDER, recipient));
        accepted &= EnvelopeHooksBenchmark.declined(hooks.localPostmaster.doRcpt(session, EnvelopeHooksBenchmark.SENDER, recipient));
        List<MailAddress> recipients = new ArrayList<>(1);
        recipients.add(recipient);
        session.setAttachment(SMTPSession.RCPT_LIST, recipients, ProtocolSession.State.Transaction);
        hooks.refusalLog.onResponse(session, OK, 1, hooks.recipientSyntax);
        hooks.refusalLog.onResponse(session, OK, 1, null);
        // end of DATA
        return endOfData(data, accepted);
    }

    private Response endOfData(EndOfData data, boolean acceptedSoFar) {
        boolean accepted = acceptedSoFar;
        accepted &= EnvelopeHooksBenchmark.declined(hooks.headerCheck.onMessage(data.session, data.mail));
        accepted &= EnvelopeHooksBenchmark.declined(hooks.sendingRateLimit.onMessage(data.session, data.mail));
        accepted &= EnvelopeHooksBenchmark.declined(hooks.submissionMark.onMessage(data.session, data.mail));
        hooks.refusalLog.onResponse(data.session, DATA_OK, 1, hooks.recipientSyntax);
        Response response = hooks.refusalLog.onResponse(data.session, DATA_OK, 1, null);
        data.accepted = accepted;
        return response;
    }

    /**
     * The fresh mail and session transaction of one operation, and the counters of what the operations read from their
     * sources: {@code sourceOctets / mails} is the number of octets one operation read.
     */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class EndOfData {
        /** Octets read from the message sources, in this iteration. */
        public long sourceOctets;
        /** Mails (operations) in this iteration. */
        public long mails;

        SMTPSession session;
        MailImpl mail;
        boolean accepted;
        private MimeMessageWrapper message;
        private final BenchmarkMessages.FreshMails freshMails = new BenchmarkMessages.FreshMails(EndOfDataMessage::mail);

        @Setup(Level.Trial)
        public void newSession() {
            session = BenchmarkSession.authenticatedOverTls();
        }

        @Setup(Level.Iteration)
        public void resetCounters() {
            sourceOctets = 0;
            mails = 0;
        }

        /** A new transaction (MAIL FROM and one RCPT accepted, as at the end of DATA) and a fresh mail. */
        @Setup(Level.Invocation)
        public void newMail(MessageHooksBenchmark benchmark) throws MessagingException {
            session.resetState();
            session.setAttachment(SMTPSession.SENDER, EnvelopeHooksBenchmark.SENDER, ProtocolSession.State.Transaction);
            List<MailAddress> recipients = new ArrayList<>(1);
            recipients.add(benchmark.recipient);
            session.setAttachment(SMTPSession.RCPT_LIST, recipients, ProtocolSession.State.Transaction);
            mail = freshMails.next(benchmark.message);
            message = (MimeMessageWrapper) mail.getMessage();
            accepted = false;
        }

        @TearDown(Level.Invocation)
        public void checkAndDispose(BenchmarkParams params) throws MessagingException {
            sourceOctets += freshMails.octetsRead();
            mails++;
            String benchmark = BenchmarkMessages.benchmarkName(params);
            try {
                EnvelopeHooksBenchmark.require(benchmark, accepted);
                if (mail.getMessage() != message || message.isModified()) {
                    throw new IllegalStateException(benchmark + ": the message was replaced or modified");
                }
                boolean marks = benchmark.equals("submissionMarkHook") || benchmark.equals("endOfDataHooks")
                    || benchmark.equals("submission");
                if (marks && mail.getAttribute(SubmissionAttributes.LISTENER).isEmpty()) {
                    throw new IllegalStateException(benchmark + ": the mail is not marked as a submission");
                }
            } finally {
                mail.dispose();
            }
        }
    }
}
