package org.msa4james.benchmark;

import static org.msa4james.benchmark.FreshMail.require;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import javax.mail.MessagingException;

import org.apache.james.server.core.MailImpl;
import org.apache.james.server.core.MimeMessageWrapper;
import org.apache.mailet.Mail;
import org.msa4james.concealment.TraceToken;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Header work must not read, copy or re-encode the body, so a header-only mailet costs about
 * the same on a 20 MiB message as on a 2 KiB one. Each benchmark runs a mailet, initialised as in the shipped
 * configuration, on the same submission ({@link SubmittedMessage}) at both sizes; {@link HeaderMailetsBenchmarkMain}
 * prints the two sizes side by side.
 *
 * <p>What one operation is, and why it is fair:</p>
 * <ul>
 * <li>Every operation gets a fresh mail, as the first mailet of the {@code submission} processor gets it from
 * James's spool: a {@link MailImpl} whose message is a James {@link MimeMessageWrapper} over a message source, with
 * nothing parsed yet. A mailet that has already been given the message would find the header parsed and would
 * cost less; a mailet that reads the body would find it again on every operation. The mail is built in a
 * {@code Level.Invocation} setup, out of the measured time: building it reads no byte of the message and costs
 * the same at both sizes. JMH's caveat about per-invocation fixtures (two time stamps around each call) is small
 * against operations of microseconds, and equal at both sizes; {@code readHeader} (the header parse every
 * header-only mailet pays, nothing else) shows that floor.</li>
 * <li>The message bytes are made once per trial and shared, never copied. The source is an in-memory source over
 * them (like James's {@code MimeMessageInputStreamSource} below its 100 KiB threshold) at both sizes, so that the
 * two sizes differ by the size only: a {@code MimeMessageInputStreamSource} keeps a 20 MiB message in a
 * temporary file, which would add the opening of a file to the 20 MiB case, and making it for each operation
 * would write 20 MiB per operation.</li>
 * <li>The source counts the octets read from it; the counters {@code sourceOctets} and {@code mails} give the
 * octets read per mail. A header-only mailet reads the header ({@link SubmittedMessage#HEADER_OCTETS} octets) and
 * no more; TransferEncode, which streams, reads the whole message once.</li>
 * <li>JMH's gc profiler ({@code -prof gc}) gives {@code gc.alloc.rate.norm}, the octets allocated per operation,
 * independent of the machine's speed and load. It counts the allocations of the per-invocation setup and check too
 * (the mail, its attributes, the wrapper, the list of header lines checked: the same at both sizes);
 * {@code readHeader} shows that floor as well.</li>
 * <li>After every operation, out of the measured time, the result is checked: each mailet changed the header as
 * it must, the mail kept its message (no copy), and nothing was saved. A benchmark whose mailet did nothing fails.</li>
 * <li>Log level WARN: the completion mailets log one INFO line per message, whose cost depends on the site's
 * appenders and not on the message.</li>
 * </ul>
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
@State(Scope.Benchmark)
public class HeaderMailetsBenchmark {
    private CompletionMailets mailets;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        mailets = CompletionMailets.create();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        mailets.close();
    }

    /** The floor: what any header-only mailet pays, James parsing the header of a fresh message; nothing else. */
    @Benchmark
    public Object readHeader(FreshMail fresh) throws MessagingException {
        return fresh.mail.getMessage().getAllHeaderLines();
    }

    @Benchmark
    public Mail addMissingDate(FreshMail fresh) throws MessagingException {
        mailets.addMissingDate.service(fresh.mail);
        return fresh.mail;
    }

    @Benchmark
    public Mail addMissingMessageId(FreshMail fresh) throws MessagingException {
        mailets.addMissingMessageId.service(fresh.mail);
        return fresh.mail;
    }

    @Benchmark
    public Mail qualifyAddresses(FreshMail fresh) throws MessagingException {
        mailets.qualifyAddresses.service(fresh.mail);
        return fresh.mail;
    }

    @Benchmark
    public Mail addSender(FreshMail fresh) throws MessagingException {
        mailets.addSender.service(fresh.mail);
        return fresh.mail;
    }

    @Benchmark
    public Mail concealLocalAddresses(FreshMail fresh) throws MessagingException {
        mailets.concealLocalAddresses.service(fresh.mail);
        return fresh.mail;
    }

    /** The header-only mailets of the shipped submission processor, in its order. */
    @Benchmark
    public Mail headerChain(FreshMail fresh) throws MessagingException {
        mailets.addMissingDate.service(fresh.mail);
        mailets.addMissingMessageId.service(fresh.mail);
        mailets.qualifyAddresses.service(fresh.mail);
        mailets.addSender.service(fresh.mail);
        mailets.concealLocalAddresses.service(fresh.mail);
        return fresh.mail;
    }

    /** For contrast: TransferEncode reads the whole message (as a stream) to decide; a conformant one is not copied. */
    @Benchmark
    public Mail transferEncode(FreshMail fresh) throws MessagingException {
        mailets.transferEncode.service(fresh.mail);
        return fresh.mail;
    }

    private static final Pattern MESSAGE_ID = Pattern.compile("Message-ID: <[0-9A-Za-z.\\-_]+@example\\.test>");
    private static final String CLIENT_TOKEN = TraceToken.withKey(CompletionMailets.TRACE_KEY)
    .clientName(SubmittedMessage.CLIENT_ADDRESS, SubmittedMessage.SESSION_ID);

    /** The check of the header after an operation of {@code benchmark}, out of the measured time. */
    static void check(FreshMail fresh, String benchmark, List<String> lines) {
        MimeMessageWrapper message = fresh.message;
        switch (benchmark) {
            case "readHeader":
            case "transferEncode":
                require(benchmark, !message.isModified(), "the message was modified", lines);
                require(benchmark, lines.size() == 10 && lines.get(0).equals(SubmittedMessage.JAMES_RECEIVED),
                    "the header changed", lines);
                break;
            case "addMissingDate":
                checkDate(benchmark, lines);
                break;
            case "addMissingMessageId":
                checkMessageId(benchmark, lines);
                break;
            case "qualifyAddresses":
                checkQualified(benchmark, lines);
                break;
            case "addSender":
                checkSender(benchmark, lines);
                break;
            case "concealLocalAddresses":
                checkConcealed(benchmark, lines);
                break;
            case "headerChain":
                checkDate(benchmark, lines);
                checkMessageId(benchmark, lines);
                checkQualified(benchmark, lines);
                checkSender(benchmark, lines);
                checkConcealed(benchmark, lines);
                break;
            default:
                throw new IllegalStateException("no check for benchmark " + benchmark);
        }
        if (!benchmark.equals("readHeader") && !benchmark.equals("transferEncode")) {
            require(benchmark, message.isHeaderModified() && !message.isBodyModified(),
                "expected the header modified and the body not", lines);
        }
    }

    private static void checkDate(String benchmark, List<String> lines) {
        require(benchmark, lines.contains("Date: " + SubmittedMessage.RECEIVED_AT_RFC5322), "no Date added", lines);
    }

    private static void checkMessageId(String benchmark, List<String> lines) {
        require(benchmark, lines.stream().filter(line -> MESSAGE_ID.matcher(line).matches()).count() == 1,
            "no Message-ID added", lines);
    }

    private static void checkQualified(String benchmark, List<String> lines) {
        require(benchmark, lines.contains("To: bob@sales.example.test") && !lines.contains(SubmittedMessage.TO),
            "To not qualified", lines);
    }

    private static void checkSender(String benchmark, List<String> lines) {
        require(benchmark, lines.contains("Sender: " + SubmittedMessage.USER), "no Sender added", lines);
    }

    private static void checkConcealed(String benchmark, List<String> lines) {
        require(benchmark, lines.get(0).startsWith("Received: from " + CLIENT_TOKEN + "\r\n")
                && !lines.contains(SubmittedMessage.X_ORIGINATING_IP)
                && lines.contains("Reply-To: Alice <alice@example.test>"),
            "client not hidden, X-Originating-IP not removed or Reply-To not rewritten", lines);
    }
}
