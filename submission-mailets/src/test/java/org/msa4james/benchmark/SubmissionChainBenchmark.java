package org.msa4james.benchmark;

import static org.msa4james.benchmark.CompletionMailets.config;
import static org.msa4james.benchmark.CompletionMailets.initialised;
import static org.msa4james.benchmark.FreshMail.require;

import java.io.IOException;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateCrtKey;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.mail.MessagingException;

import org.apache.james.core.MailAddress;
import org.apache.james.jdkim.mailets.DKIMSign;
import org.apache.james.transport.mailets.RemoveMimeHeader;
import org.apache.mailet.Mail;
import org.apache.mailet.Mailet;
import org.apache.mailet.Matcher;
import org.apache.mailet.base.test.FakeMatcherConfig;
import org.msa4james.dkim.DkimPrivateKeyPem;
import org.msa4james.mailet.PrepareForSigning;
import org.msa4james.matcher.IsSubmission;
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

    private CompletionMailets mailets;
    private Matcher isSubmission;
    private Mailet removeBcc;
    private Mailet prepareForSigning;
    private Mailet dkimSign;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        mailets = CompletionMailets.create();

        isSubmission = new IsSubmission();
        isSubmission.init(FakeMatcherConfig.builder().matcherName("IsSubmission").build());
        // as in the shipped mailetcontainer.xml, built with the constructors James's Guice uses
        removeBcc = initialised(new RemoveMimeHeader(), config("RemoveMimeHeader").setProperty("name", "bcc"));
        prepareForSigning = initialised(new PrepareForSigning(), config("PrepareForSigning"));
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        String privateKey = DkimPrivateKeyPem.encode((RSAPrivateCrtKey) generator.generateKeyPair().getPrivate());
        dkimSign = initialised(new DKIMSign(), config("DKIMSign")
            .setProperty("signatureTemplate", SIGNATURE_TEMPLATE)
            .setProperty("privateKey", privateKey));
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        mailets.close();
    }

    /** The matcher of root that sends a submission to the submission processor (reads an attribute only). */
    @Benchmark
    public Collection<MailAddress> isSubmission(FreshMail fresh) throws MessagingException {
        Collection<MailAddress> matched = isSubmission.match(fresh.mail);
        fresh.matched = !matched.isEmpty();
        return matched;
    }

    @Benchmark
    public Mail removeMimeHeaderBcc(FreshMail fresh) throws MessagingException {
        removeBcc.service(fresh.mail);
        return fresh.mail;
    }

    @Benchmark
    public Mail prepareForSigning(FreshMail fresh) throws MessagingException {
        prepareForSigning.service(fresh.mail);
        return fresh.mail;
    }

    /** For contrast: James's DKIMSign hashes the whole body (and signs with RSA 2048). */
    @Benchmark
    public Mail dkimSign(FreshMail fresh) throws MessagingException {
        dkimSign.service(fresh.mail);
        return fresh.mail;
    }

    /** The submission processor as shipped, but DKIMSign: completion, concealment, TransferEncode, bcc, PrepareForSigning. */
    @Benchmark
    public Mail submissionChain(FreshMail fresh) throws MessagingException {
        return chain(fresh, false);
    }

    /** The submission processor as shipped, DKIMSign included. */
    @Benchmark
    public Mail submissionChainSigned(FreshMail fresh) throws MessagingException {
        return chain(fresh, true);
    }

    private Mail chain(FreshMail fresh, boolean sign) throws MessagingException {
        Mail mail = fresh.mail;
        fresh.matched = !isSubmission.match(mail).isEmpty();
        mailets.addMissingDate.service(mail);
        mailets.addMissingMessageId.service(mail);
        mailets.qualifyAddresses.service(mail);
        mailets.addSender.service(mail);
        mailets.concealLocalAddresses.service(mail);
        mailets.transferEncode.service(mail);
        removeBcc.service(mail);
        prepareForSigning.service(mail);
        if (sign) {
            dkimSign.service(mail);
        }
        return mail;
    }

    /** The check of the header after an operation of {@code benchmark}, out of the measured time. */
    static void check(FreshMail fresh, String benchmark, List<String> lines) {
        boolean matched = fresh.matched;
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
                checkCompleted(benchmark, matched, lines);
                require(benchmark, lines.stream().noneMatch(line -> line.startsWith("DKIM-Signature:")), "signed", lines);
                break;
            case "submissionChainSigned":
                checkCompleted(benchmark, matched, lines);
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

    private static void checkCompleted(String benchmark, boolean matched, List<String> lines) {
        require(benchmark, matched, "the submission was not matched", lines);
        require(benchmark, lines.contains("Date: " + SubmittedMessage.RECEIVED_AT_RFC5322)
                && lines.contains("Sender: " + SubmittedMessage.USER)
                && lines.contains("To: bob@sales.example.test")
                && lines.contains("Reply-To: Alice <alice@example.test>")
                && !lines.contains(SubmittedMessage.X_ORIGINATING_IP)
                && lines.stream().anyMatch(line -> line.startsWith("Message-ID: <") && line.endsWith("@example.test>")),
            "not completed and concealed", lines);
    }
}
