package org.msa4james.benchmark;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateCrtKey;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import javax.mail.MessagingException;

import org.apache.james.core.MailAddress;
import org.apache.james.jdkim.mailets.DKIMSign;
import org.apache.james.server.core.JamesServerResourceLoader;
import org.apache.james.server.core.MailImpl;
import org.apache.james.server.core.MimeMessageWrapper;
import org.apache.james.server.core.filesystem.FileSystemImpl;
import org.apache.james.transport.mailets.RemoveMimeHeader;
import org.apache.mailet.Mail;
import org.apache.mailet.Mailet;
import org.apache.mailet.Matcher;
import org.apache.mailet.base.test.FakeMailetConfig;
import org.apache.mailet.base.test.FakeMatcherConfig;
import org.msa4james.dkim.DkimPrivateKeyPem;
import org.msa4james.mailet.AddMissingDate;
import org.msa4james.mailet.AddMissingMessageId;
import org.msa4james.mailet.AddSender;
import org.msa4james.mailet.CompletionJamesServices;
import org.msa4james.mailet.ConcealLocalAddresses;
import org.msa4james.mailet.PrepareForSigning;
import org.msa4james.mailet.QualifyAddresses;
import org.msa4james.mailet.TransferEncode;
import org.msa4james.matcher.IsSubmission;
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
 * The rest of the shipped {@code submission} processor, next to {@link HeaderMailetsBenchmark}: the IsSubmission
 * matcher that sends a submission there from {@code root}, James's RemoveMimeHeader (bcc), PrepareForSigning, James's
 * DKIMSign (RSA 2048, rsa-sha256, relaxed/relaxed, the shipped signature template; for contrast: it hashes the whole
 * body), and the whole processor in its shipped order, with and without DKIMSign, on the same submission
 * ({@link SubmittedMessage}) at 2 KiB and 20 MiB. Same method as HeaderMailetsBenchmark (see there): a fresh mail as
 * the spool hands it over for every operation, made out of the measured time, the octets read from the message
 * source counted, the outcome checked after every operation.
 *
 * <p>PrepareForSigning alone runs on the fresh submission, before completion: JavaMail's saveChanges then adds its
 * own Message-ID too; in the chain it runs, as shipped, on the completed message. DKIMSign runs without its
 * {@code SenderHostIs} matcher (the sender's domain is the signing domain here).</p>
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
@State(Scope.Benchmark)
public class SubmissionChainBenchmark {
    /** The shipped signature template, with a benchmark selector and the sender's domain. */
    static final String SIGNATURE_TEMPLATE = "v=1; s=benchmark; d=example.test; h=from:from:sender:reply-to:subject:date:"
        + "message-id:to:cc:mime-version:content-type:content-transfer-encoding:in-reply-to:references; a=rsa-sha256;"
        + " c=relaxed/relaxed; bh=; b=;";

    /** Size of the whole message, header included. */
    @Param({"2KiB", "20MiB"})
    public String size;

    byte[] message;
    private Path workingDirectory;
    private Matcher isSubmission;
    private Mailet addMissingDate;
    private Mailet addMissingMessageId;
    private Mailet qualifyAddresses;
    private Mailet addSender;
    private Mailet concealLocalAddresses;
    private Mailet transferEncode;
    private Mailet removeBcc;
    private Mailet prepareForSigning;
    private Mailet dkimSign;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
            .setLevel(ch.qos.logback.classic.Level.WARN);
        message = SubmittedMessage.bytes(SubmittedMessage.octets(size));

        CompletionJamesServices james = CompletionJamesServices.create();
        workingDirectory = Files.createTempDirectory("msa4james-benchmark");
        Files.createDirectories(workingDirectory.resolve("conf"));
        Files.write(workingDirectory.resolve("conf").resolve("address-rewrite.map"),
            HeaderMailetsBenchmark.REWRITE_MAP.getBytes(StandardCharsets.UTF_8));

        isSubmission = new IsSubmission();
        isSubmission.init(FakeMatcherConfig.builder().matcherName("IsSubmission").build());
        // as in the shipped mailetcontainer.xml, built with the constructors James's Guice uses
        addMissingDate = initialised(new AddMissingDate(), config("AddMissingDate").setProperty("timeZone", "UTC"));
        addMissingMessageId = initialised(new AddMissingMessageId(james.domainList()), config("AddMissingMessageId"));
        qualifyAddresses = initialised(new QualifyAddresses(), config("QualifyAddresses")
            .setProperty("domainExpansions", HeaderMailetsBenchmark.DOMAIN_EXPANSIONS));
        addSender = initialised(new AddSender(james.canSendFrom(), james.domainList()), config("AddSender"));
        concealLocalAddresses = initialised(
            new ConcealLocalAddresses(new FileSystemImpl(new JamesServerResourceLoader(workingDirectory.toString()))),
            config("ConcealLocalAddresses")
                .setProperty("rewriteMap", "file://conf/address-rewrite.map")
                .setProperty("reloadInterval", "10")
                .setProperty("hideClientInTrace", "true")
                .setProperty("traceKey", HeaderMailetsBenchmark.TRACE_KEY)
                .setProperty("removeHeaders", "X-Originating-IP"));
        transferEncode = initialised(new TransferEncode(), config("TransferEncode"));
        removeBcc = initialised(new RemoveMimeHeader(), config("RemoveMimeHeader").setProperty("name", "bcc"));
        prepareForSigning = initialised(new PrepareForSigning(), config("PrepareForSigning"));
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        String privateKey = DkimPrivateKeyPem.encode((RSAPrivateCrtKey) generator.generateKeyPair().getPrivate());
        dkimSign = initialised(new DKIMSign(), config("DKIMSign")
            .setProperty("signatureTemplate", SIGNATURE_TEMPLATE)
            .setProperty("privateKey", privateKey));
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

    /** The matcher of root that sends a submission to the submission processor (reads an attribute only). */
    @Benchmark
    public Collection<MailAddress> isSubmission(FreshSubmission fresh) throws MessagingException {
        Collection<MailAddress> matched = isSubmission.match(fresh.mail);
        fresh.matched = !matched.isEmpty();
        return matched;
    }

    @Benchmark
    public Mail removeMimeHeaderBcc(FreshSubmission fresh) throws MessagingException {
        removeBcc.service(fresh.mail);
        return fresh.mail;
    }

    @Benchmark
    public Mail prepareForSigning(FreshSubmission fresh) throws MessagingException {
        prepareForSigning.service(fresh.mail);
        return fresh.mail;
    }

    /** For contrast: James's DKIMSign hashes the whole body (and signs with RSA 2048). */
    @Benchmark
    public Mail dkimSign(FreshSubmission fresh) throws MessagingException {
        dkimSign.service(fresh.mail);
        return fresh.mail;
    }

    /** The submission processor as shipped, but DKIMSign: completion, concealment, TransferEncode, bcc, PrepareForSigning. */
    @Benchmark
    public Mail submissionChain(FreshSubmission fresh) throws MessagingException {
        return chain(fresh, false);
    }

    /** The submission processor as shipped, DKIMSign included. */
    @Benchmark
    public Mail submissionChainSigned(FreshSubmission fresh) throws MessagingException {
        return chain(fresh, true);
    }

    private Mail chain(FreshSubmission fresh, boolean sign) throws MessagingException {
        Mail mail = fresh.mail;
        fresh.matched = !isSubmission.match(mail).isEmpty();
        addMissingDate.service(mail);
        addMissingMessageId.service(mail);
        qualifyAddresses.service(mail);
        addSender.service(mail);
        concealLocalAddresses.service(mail);
        transferEncode.service(mail);
        removeBcc.service(mail);
        prepareForSigning.service(mail);
        if (sign) {
            dkimSign.service(mail);
        }
        return mail;
    }

    /**
     * The fresh mail of one operation, and the counters of what the operations read from their sources:
     * {@code sourceOctets / mails} is the number of octets one operation read.
     */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class FreshSubmission {
        /** Octets read from the message sources, in this iteration. */
        public long sourceOctets;
        /** Mails (operations) in this iteration. */
        public long mails;

        MailImpl mail;
        boolean matched;
        private MimeMessageWrapper message;
        private SubmittedMessage.CountingSource source;
        private long sequence;

        @Setup(Level.Iteration)
        public void resetCounters() {
            sourceOctets = 0;
            mails = 0;
        }

        @Setup(Level.Invocation)
        public void newMail(SubmissionChainBenchmark benchmark) throws MessagingException {
            source = new SubmittedMessage.CountingSource(benchmark.message);
            mail = SubmittedMessage.mail("mail-" + sequence++, source);
            message = (MimeMessageWrapper) mail.getMessage();
            matched = false;
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
                case "isSubmission":
                    require(benchmark, matched, "the submission was not matched", lines);
                    break;
                case "removeMimeHeaderBcc":
                    require(benchmark, lines.stream().noneMatch(line -> line.regionMatches(true, 0, "Bcc:", 0, 4)),
                        "a Bcc field is left", lines);
                    break;
                case "prepareForSigning":
                    require(benchmark, lines.contains("MIME-Version: 1.0"), "no MIME-Version", lines);
                    break;
                case "dkimSign":
                    require(benchmark, signedByExample(lines),
                        "not signed", lines);
                    break;
                case "submissionChain":
                    checkCompleted(benchmark, lines);
                    require(benchmark, lines.stream().noneMatch(line -> line.startsWith("DKIM-Signature:")), "signed", lines);
                    break;
                case "submissionChainSigned":
                    checkCompleted(benchmark, lines);
                    require(benchmark, signedByExample(lines),
                        "not signed", lines);
                    break;
                default:
                    throw new IllegalStateException("no check for benchmark " + benchmark);
            }
        }

        /** The signature James's signer writes, tags in its own order, prepended to the header. */
        private static boolean signedByExample(List<String> lines) {
            String first = lines.get(0);
            return first.startsWith("DKIM-Signature:") && first.contains(" d=example.test;") && first.contains(" s=benchmark;")
                && first.contains(" bh=") && lines.stream().filter(line -> line.startsWith("DKIM-Signature:")).count() == 1;
        }

        private void checkCompleted(String benchmark, List<String> lines) {
            require(benchmark, matched, "the submission was not matched", lines);
            require(benchmark, lines.contains("Date: " + SubmittedMessage.RECEIVED_AT_RFC5322)
                    && lines.contains("Sender: " + SubmittedMessage.USER)
                    && lines.contains("To: bob@sales.example.test")
                    && lines.contains("Reply-To: Alice <alice@example.test>")
                    && !lines.contains(SubmittedMessage.X_ORIGINATING_IP)
                    && lines.stream().anyMatch(line -> line.startsWith("Message-ID: <") && line.endsWith("@example.test>")),
                "not completed and concealed", lines);
        }

        private static void require(String benchmark, boolean condition, String problem, List<String> lines) {
            if (!condition) {
                throw new IllegalStateException(benchmark + ": " + problem + "; header: " + lines);
            }
        }
    }
}
