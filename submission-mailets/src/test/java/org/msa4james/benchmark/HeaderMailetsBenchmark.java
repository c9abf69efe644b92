package org.msa4james.benchmark;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import javax.mail.MessagingException;

import org.apache.james.filesystem.api.FileSystem;
import org.apache.james.server.core.JamesServerResourceLoader;
import org.apache.james.server.core.MailImpl;
import org.apache.james.server.core.MimeMessageWrapper;
import org.apache.james.server.core.filesystem.FileSystemImpl;
import org.apache.mailet.Mail;
import org.apache.mailet.Mailet;
import org.apache.mailet.base.test.FakeMailetConfig;
import org.msa4james.concealment.TraceToken;
import org.msa4james.mailet.AddMissingDate;
import org.msa4james.mailet.AddMissingMessageId;
import org.msa4james.mailet.AddSender;
import org.msa4james.mailet.CompletionJamesServices;
import org.msa4james.mailet.ConcealLocalAddresses;
import org.msa4james.mailet.QualifyAddresses;
import org.msa4james.mailet.TransferEncode;
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
 * RFC 6409 issue "Cost": header work must not read, copy or re-encode the body, so a header-only mailet costs about
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
    static final String TRACE_KEY = "benchmark-trace-key-0123456789abcdefghij";
    static final String DOMAIN_EXPANSIONS = "sales=sales.example.test";
    static final String REWRITE_MAP = "@squeaky.sales.example.test  @example.test\n";

    /** Size of the whole message, header included. */
    @Param({"2KiB", "20MiB"})
    public String size;

    byte[] message;
    private Path workingDirectory;
    private Mailet addMissingDate;
    private Mailet addMissingMessageId;
    private Mailet qualifyAddresses;
    private Mailet addSender;
    private Mailet concealLocalAddresses;
    private Mailet transferEncode;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
            .setLevel(ch.qos.logback.classic.Level.WARN);
        message = SubmittedMessage.bytes(SubmittedMessage.octets(size));

        CompletionJamesServices james = CompletionJamesServices.create();
        workingDirectory = Files.createTempDirectory("msa4james-benchmark");
        Files.createDirectories(workingDirectory.resolve("conf"));
        Files.write(workingDirectory.resolve("conf").resolve("address-rewrite.map"), REWRITE_MAP.getBytes(StandardCharsets.UTF_8));
        FileSystem fileSystem = new FileSystemImpl(new JamesServerResourceLoader(workingDirectory.toString()));

        // as in the shipped mailetcontainer.xml, built with the constructors James's Guice uses
        addMissingDate = initialised(new AddMissingDate(), config("AddMissingDate").setProperty("timeZone", "UTC"));
        addMissingMessageId = initialised(new AddMissingMessageId(james.domainList()), config("AddMissingMessageId"));
        qualifyAddresses = initialised(new QualifyAddresses(), config("QualifyAddresses")
            .setProperty("domainExpansions", DOMAIN_EXPANSIONS));
        addSender = initialised(new AddSender(james.canSendFrom(), james.domainList()), config("AddSender"));
        concealLocalAddresses = initialised(new ConcealLocalAddresses(fileSystem), config("ConcealLocalAddresses")
            .setProperty("rewriteMap", "file://conf/address-rewrite.map")
            .setProperty("reloadInterval", "10")
            .setProperty("hideClientInTrace", "true")
            .setProperty("traceKey", TRACE_KEY)
            .setProperty("removeHeaders", "X-Originating-IP"));
        transferEncode = initialised(new TransferEncode(), config("TransferEncode"));
    }

    private static FakeMailetConfig.Builder config(String name) {
        return FakeMailetConfig.builder().mailetName(name);
    }

    private static Mailet initialised(Mailet mailet, FakeMailetConfig.Builder config) throws MessagingException {
        mailet.init(config.build());
        return mailet;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        try (Stream<Path> paths = Files.walk(workingDirectory)) {
            for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(path);
            }
        }
    }

    /** The floor: what any header-only mailet pays, James parsing the header of a fresh message; nothing else. */
    @Benchmark
    public Object readHeader(FreshMail fresh) throws MessagingException {
        return fresh.mail.getMessage().getAllHeaderLines();
    }

    @Benchmark
    public Mail addMissingDate(FreshMail fresh) throws MessagingException {
        addMissingDate.service(fresh.mail);
        return fresh.mail;
    }

    @Benchmark
    public Mail addMissingMessageId(FreshMail fresh) throws MessagingException {
        addMissingMessageId.service(fresh.mail);
        return fresh.mail;
    }

    @Benchmark
    public Mail qualifyAddresses(FreshMail fresh) throws MessagingException {
        qualifyAddresses.service(fresh.mail);
        return fresh.mail;
    }

    @Benchmark
    public Mail addSender(FreshMail fresh) throws MessagingException {
        addSender.service(fresh.mail);
        return fresh.mail;
    }

    @Benchmark
    public Mail concealLocalAddresses(FreshMail fresh) throws MessagingException {
        concealLocalAddresses.service(fresh.mail);
        return fresh.mail;
    }

    /** The header-only mailets of the shipped submission processor, in its order. */
    @Benchmark
    public Mail headerChain(FreshMail fresh) throws MessagingException {
        addMissingDate.service(fresh.mail);
        addMissingMessageId.service(fresh.mail);
        qualifyAddresses.service(fresh.mail);
        addSender.service(fresh.mail);
        concealLocalAddresses.service(fresh.mail);
        return fresh.mail;
    }

    /** For contrast: TransferEncode reads the whole message (as a stream) to decide; a conformant one is not copied. */
    @Benchmark
    public Mail transferEncode(FreshMail fresh) throws MessagingException {
        transferEncode.service(fresh.mail);
        return fresh.mail;
    }

    /**
     * The fresh mail of one operation, and the counters of what the operations read from their sources:
     * {@code sourceOctets / mails} is the number of octets one operation read.
     */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class FreshMail {
        private static final Pattern MESSAGE_ID = Pattern.compile("Message-ID: <[0-9A-Za-z.\\-_]+@example\\.test>");
        private static final String CLIENT_TOKEN = TraceToken.withKey(TRACE_KEY)
            .clientName(SubmittedMessage.CLIENT_ADDRESS, SubmittedMessage.SESSION_ID);

        /** Octets read from the message sources, in this iteration. */
        public long sourceOctets;
        /** Mails (operations) in this iteration. */
        public long mails;

        MailImpl mail;
        private MimeMessageWrapper message;
        private SubmittedMessage.CountingSource source;
        private long sequence;

        @Setup(Level.Iteration)
        public void resetCounters() {
            sourceOctets = 0;
            mails = 0;
        }

        @Setup(Level.Invocation)
        public void newMail(HeaderMailetsBenchmark benchmark) throws MessagingException {
            source = new SubmittedMessage.CountingSource(benchmark.message);
            mail = SubmittedMessage.mail("mail-" + sequence++, source);
            message = (MimeMessageWrapper) mail.getMessage();
        }

        @TearDown(Level.Invocation)
        public void checkAndDispose(BenchmarkParams params) throws MessagingException {
            sourceOctets += source.octetsRead();
            mails++;
            String benchmark = params.getBenchmark().substring(params.getBenchmark().lastIndexOf('.') + 1);
            try {
                check(benchmark);
            } finally {
                mail.dispose();
            }
        }

        private void check(String benchmark) throws MessagingException {
            if (mail.getMessage() != message) {
                throw new IllegalStateException(benchmark + ": the mail's message was replaced (copied or re-encoded)");
            }
            List<String> lines = Collections.list(message.getAllHeaderLines());
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

        private static void require(String benchmark, boolean condition, String problem, List<String> lines) {
            if (!condition) {
                throw new IllegalStateException(benchmark + ": " + problem + "; header: " + lines);
            }
        }
    }
}
