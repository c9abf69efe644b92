package org.msa4james.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;
import static org.msa4james.it.ExpectedReplies.AUTHENTICATION_SUCCESSFUL;
import static org.msa4james.it.ExpectedReplies.MESSAGE_ACCEPTED;
import static org.msa4james.it.ExpectedReplies.READY_TO_START_TLS;
import static org.msa4james.it.ExpectedReplies.RESET_OK;
import static org.msa4james.it.ExpectedReplies.recipientOk;
import static org.msa4james.it.ExpectedReplies.senderOk;
import static org.msa4james.it.ExpectedReplies.tooManyRecipients;
import static org.msa4james.it.Fixtures.ALICE;
import static org.msa4james.it.Fixtures.CAROL_REMOTE;
import static org.msa4james.it.Fixtures.PASSWORD;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.SSLSocket;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.subethamail.wiser.WiserMessage;

/**
 * Bad input: a corpus of hostile sessions and messages against a real James with the shipped
 * configuration, on the submission listeners (587 with STARTTLS, 465 with implicit TLS).
 *
 * <p>Each dynamic test sends one hostile input and asserts the exact reply line (or that the server closes the
 * connection), that nothing the client received (every byte read, TLS alerts included) carries a Java stack
 * trace or exception class name, that no part of a refused or interrupted message reaches the relay gateway,
 * and that the same listener serves a normal authenticated submission right afterwards (it arrives at the
 * Wiser). The last dynamic test forces garbage collection and checks that James (running in this JVM) returns
 * to the heap and thread baseline measured before the corpus.
 */
class HostileInputTest {

    @RegisterExtension
    static MsaJamesExtension james = MsaJamesExtension.withDefaults();

    /** The submission listeners' maxmessagesize in the shipped smtpserver.xml (35M), in bytes. */
    private static final long MAX_MESSAGE_SIZE = 35L * 1024 * 1024;

    // James 3.8.1's own replies, measured against the running server
    private static final String LINE_TOO_LONG = "500 Line length exceeded. See RFC 2821 #4.5.3.1.";
    // msa4james's LineLengthGuard, where James alone would drop the line and accept the rest
    private static final String MESSAGE_LINE_TOO_LONG = "554 5.6.0 Message refused: a line is longer than 8192 octets and "
        + "could not be received; RFC 5322 allows 998 per line";
    private static final String CRLF_REQUIRED = "500 5.0.0 line delimiter must be CRLF";
    private static final String AUTH_FAILED = "535 Authentication Failed";
    private static final String AUTH_BAD_ARGUMENT = "501 Could not decode parameters for AUTH PLAIN";
    private static final String SIZE_EXCEEDED_AT_MAIL = "552 5.3.4 Message size exceeds fixed maximum message size";
    private static final String SIZE_EXCEEDED_IN_DATA = "552 Quota exceeded";
    private static final String TLS_ALREADY_ACTIVE = "500 5.5.1 TLS already active RFC2487 5.2";
    private static final String START_MAIL_INPUT = "354 Ok Send data ending with <CRLF>.<CRLF>";
    private static final String BYE = "221 2.0.0 " + MsaJamesServer.HOSTNAME + " Service closing transmission channel";

    /** What must never reach a client: traces of the Java implementation. */
    private static final List<String> JAVA_LEAKS = Arrays.asList(
        "Exception", "exception", "\tat ", "java.", "javax.", "org.apache", "io.netty", "reactor.", "org.msa4james",
        "Caused by", "NullPointer", "Throwable", ".java:");

    private static final Duration REPLY_TIMEOUT = Duration.ofSeconds(30);
    private static final AtomicInteger HOSTILE_INPUTS = new AtomicInteger();
    private static final AtomicInteger CLIENT_ADDRESSES = new AtomicInteger();

    /**
     * Each hostile session comes from its own loopback address (127.0.1.1, 127.0.1.2, ...), so that the shipped
     * abuse limits (failed AUTH counted per client address, connections per client address) never hold back
     * the normal submissions that follow each item, which come from 127.0.0.1.
     */
    private static String nextClientAddress() {
        int n = CLIENT_ADDRESSES.getAndIncrement();
        return "127.0." + (1 + n / 250) + "." + (1 + n % 250);
    }

    @TestFactory
    List<DynamicTest> hostileInputs() throws Exception {
        warmUp();
        long baselineHeap = usedHeapAfterGc();
        int baselineThreads = unpooledThreadCount();
        System.out.println("baseline: heap " + baselineHeap / (1024 * 1024) + " MB, threads " + liveThreadNames());
        long started = System.nanoTime();

        List<DynamicTest> corpus = new ArrayList<>();
        for (Listener listener : new Listener[] {Listener.SUBMISSION, Listener.SUBMISSIONS}) {
            corpus.add(item("AUTH PLAIN with invalid base64", listener, this::authInvalidBase64));
            corpus.add(item("AUTH PLAIN with an empty initial response", listener, this::authEmptyInitialResponse));
            corpus.add(item("AUTH PLAIN with empty user and password", listener, this::authEmptyCredentials));
            corpus.add(item("AUTH PLAIN answering the challenge with an empty line", listener, this::authEmptyChallengeAnswer));
            corpus.add(item("AUTH PLAIN with a 10 kB credential", listener, this::authHugeCredential));
            corpus.add(item("AUTH LOGIN with a 10 kB password", listener, this::authLoginHugePassword));
            corpus.add(item("a 600-octet EHLO", listener, this::longEhlo));
            corpus.add(item("a 600-octet MAIL FROM", listener, this::longMailFrom));
            corpus.add(item("a 10,000-octet command", listener, this::overlongCommand));
            corpus.add(item("NUL in a command", listener, this::nulInCommand));
            corpus.add(item("NUL in the message", listener, this::nulInMessage));
            corpus.add(item("10,000 header fields", listener, this::tenThousandHeaderFields));
            corpus.add(item("a 100 kB header line", listener, this::hugeHeaderLine));
            corpus.add(item("a 100 kB body line", listener, this::hugeBodyLine));
            corpus.add(item("bare LF in DATA", listener, this::bareLfInData));
            corpus.add(item("bare CR in DATA", listener, this::bareCrInData));
            corpus.add(item("SMTP smuggling: <LF>.<CRLF> then a second MAIL", listener, this::smugglingAttempt));
            corpus.add(item("MAIL FROM with SIZE over the limit", listener, this::sizeOverLimitAtMail));
            corpus.add(item("10,000 pipelined RCPT", listener, this::tenThousandRecipients));
            corpus.add(item("pipelined garbage after DATA's final dot", listener, this::garbageAfterFinalDot));
            corpus.add(item("client closes the socket in the middle of DATA", listener, this::stopsInTheMiddleOfData));
        }
        corpus.add(item("more than the size limit sent in DATA", Listener.SUBMISSIONS, this::messageOverLimitInData));
        corpus.add(item("STARTTLS twice", Listener.SUBMISSION, this::startTlsTwice));
        corpus.add(item("STARTTLS on the implicit-TLS port", Listener.SUBMISSIONS, this::startTlsUnderImplicitTls));
        corpus.add(item("random bytes instead of a TLS ClientHello", Listener.SUBMISSIONS, this::tlsHandshakeGarbage));
        corpus.add(item("cleartext SMTP instead of a TLS ClientHello", Listener.SUBMISSIONS, this::cleartextOnImplicitTls));
        corpus.add(item("random bytes as the TLS handshake after STARTTLS", Listener.SUBMISSION, this::startTlsHandshakeGarbage));

        corpus.add(dynamicTest("no heap or thread leak after the corpus", () -> {
            System.out.printf("hostile inputs tried: %d (corpus ran in %d ms)%n",
                HOSTILE_INPUTS.get(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
            assertNoLeak(baselineHeap, baselineThreads);
        }));
        return corpus;
    }

    @FunctionalInterface
    private interface HostileSession {
        void run(Listener listener) throws Exception;
    }

    private DynamicTest item(String name, Listener listener, HostileSession session) {
        return dynamicTest(name + " on " + listener, () -> {
            HOSTILE_INPUTS.incrementAndGet();
            REFUSED_MARKERS.clear();
            Throwable failure = null;
            try {
                session.run(listener);
            } catch (Throwable t) {
                failure = t;
            }
            try {
                assertServesNormalSubmission(listener);
                // the normal submission has gone through the same queue: a refused message would be there by now
                REFUSED_MARKERS.forEach(HostileInputTest::assertNotRelayed);
            } catch (Throwable t) {
                if (failure == null) {
                    failure = t;
                } else {
                    failure.addSuppressed(t);
                }
            }
            if (failure != null) {
                throw failure;
            }
        });
    }

    // ---------------------------------------------------------------------------------------------- AUTH

    private void authInvalidBase64(Listener listener) throws Exception {
        try (RawSession smtp = RawSession.underTls(server(), listener)) {
            assertThat(smtp.command("AUTH PLAIN !!!not*base64~~").line()).isEqualTo(AUTH_BAD_ARGUMENT);
            assertStillUsable(smtp);
        }
    }

    private void authEmptyInitialResponse(Listener listener) throws Exception {
        try (RawSession smtp = RawSession.underTls(server(), listener)) {
            // RFC 4954: "=" is an empty initial response
            assertThat(smtp.command("AUTH PLAIN =").line()).isEqualTo(AUTH_BAD_ARGUMENT);
            assertStillUsable(smtp);
        }
    }

    private void authEmptyCredentials(Listener listener) throws Exception {
        try (RawSession smtp = RawSession.underTls(server(), listener)) {
            assertThat(smtp.command("AUTH PLAIN " + SmtpTestClient.plainCredentials("", "")).line())
                .isEqualTo(AUTH_BAD_ARGUMENT);
            assertStillUsable(smtp);
        }
    }

    private void authEmptyChallengeAnswer(Listener listener) throws Exception {
        try (RawSession smtp = RawSession.underTls(server(), listener)) {
            assertThat(smtp.command("AUTH PLAIN").line()).isEqualTo("334 OK. Continue authentication");
            assertThat(smtp.command("").line()).isEqualTo(AUTH_BAD_ARGUMENT);
            // James 3.8.1 stays in the AUTH exchange after that 501: it takes the next line as the credential
            assertThat(smtp.command("NOOP").line()).isEqualTo(AUTH_FAILED);
            assertStillUsable(smtp);
        }
    }

    private void authHugeCredential(Listener listener) throws Exception {
        String credential = SmtpTestClient.plainCredentials(ALICE, "p".repeat(10_000));
        assertThat(credential.length()).isGreaterThan(8192);
        try (RawSession smtp = RawSession.underTls(server(), listener)) {
            assertThat(smtp.command("AUTH PLAIN " + credential).line()).isEqualTo(LINE_TOO_LONG);
            assertStillUsable(smtp);
        }
    }

    private void authLoginHugePassword(Listener listener) throws Exception {
        try (RawSession smtp = RawSession.underTls(server(), listener)) {
            assertThat(smtp.command("AUTH LOGIN").line()).isEqualTo("334 VXNlcm5hbWU6");
            assertThat(smtp.command(base64(ALICE)).line()).isEqualTo("334 UGFzc3dvcmQ6");
            // 6,000 octets of password: 8,000 octets of base64, just under James's 8,192-octet line limit
            assertThat(smtp.command(base64("p".repeat(6_000))).line()).isEqualTo(AUTH_FAILED);
            assertStillUsable(smtp);
        }
    }

    // ---------------------------------------------------------------------------------------------- long commands, NUL

    private void longEhlo(Listener listener) throws Exception {
        try (RawSession smtp = RawSession.connect(server(), listener)) {
            String name = "a".repeat(590) + ".example";
            SmtpReply reply = smtp.command("EHLO " + name);
            assertThat(reply.code()).isEqualTo(250);
            assertThat(reply.lines().get(0)).isEqualTo("250-" + MsaJamesServer.HOSTNAME + " Hello " + name + " [" + smtp.clientAddress() + "])");
        }
    }

    private void longMailFrom(Listener listener) throws Exception {
        try (RawSession smtp = RawSession.authenticated(server(), listener)) {
            String sender = "a".repeat(600) + "@example.test";
            assertThat(smtp.command("MAIL FROM:<" + sender + ">").line()).isEqualTo(ExpectedReplies.senderNotEntitled(sender, ALICE));
            assertStillUsable(smtp);
        }
    }

    private void overlongCommand(Listener listener) throws Exception {
        try (RawSession smtp = RawSession.authenticated(server(), listener)) {
            assertThat(smtp.command("NOOP " + "x".repeat(10_000)).line()).isEqualTo(LINE_TOO_LONG);
            assertStillUsable(smtp);
        }
    }

    private void nulInCommand(Listener listener) throws Exception {
        try (RawSession smtp = RawSession.authenticated(server(), listener)) {
            assertThat(smtp.command("MAIL FROM:<alice\0@example.test>").line()).isEqualTo(ExpectedReplies.SENDER_SYNTAX_ERROR);
            // James trims the command line (String.trim drops NUL too): the command name it echoes is empty
            assertThat(smtp.command("\0\0\0").line()).isEqualTo("500 5.5.1 Command  unrecognized.");
            assertStillUsable(smtp);
        }
    }

    private void nulInMessage(Listener listener) throws Exception {
        String marker = marker();
        try (RawSession smtp = RawSession.inTransaction(server(), listener)) {
            assertThat(smtp.command("DATA").line()).isEqualTo(START_MAIL_INPUT);
            smtp.send(header(marker) + "\r\nbody with a NUL \0 byte\r\n.\r\n");
            assertThat(smtp.reply().line()).isEqualTo(MESSAGE_ACCEPTED);
        }
        awaitRelayed(marker, 1);
    }

    // ---------------------------------------------------------------------------------------------- header abuse

    private void tenThousandHeaderFields(Listener listener) throws Exception {
        String marker = marker();
        StringBuilder message = new StringBuilder(header(marker));
        for (int i = 0; i < 10_000; i++) {
            message.append("X-Filler-").append(i).append(": value ").append(i).append("\r\n");
        }
        message.append("\r\nbody\r\n.\r\n");
        try (RawSession smtp = RawSession.inTransaction(server(), listener)) {
            assertThat(smtp.command("DATA").line()).isEqualTo(START_MAIL_INPUT);
            smtp.send(message.toString());
            assertThat(smtp.reply().line()).isEqualTo(MESSAGE_ACCEPTED);
        }
        // the submission processor's mailets go through all 10,000 fields several times: allow for a loaded machine
        awaitRelayed(marker, 1, Duration.ofSeconds(60));
    }

    /**
     * A 100 kB Subject line: more than James's 8,192-octet line limit. The message is refused with one reply at the end
     * of DATA (James alone answers 500 in the middle of DATA and delivers the message without the line); the session
     * then takes the next message.
     */
    private void hugeHeaderLine(Listener listener) throws Exception {
        String marker = marker();
        String message = header(marker) + "X-Huge: " + "h".repeat(100 * 1024) + "\r\n\r\nbody\r\n.\r\n";
        refusedForItsLongLineThenNextMessageAccepted(listener, marker, message);
    }

    private void hugeBodyLine(Listener listener) throws Exception {
        String marker = marker();
        String message = header(marker) + "\r\nfirst line\r\n" + "b".repeat(100 * 1024) + "\r\nlast line\r\n.\r\n";
        refusedForItsLongLineThenNextMessageAccepted(listener, marker, message);
    }

    private void refusedForItsLongLineThenNextMessageAccepted(Listener listener, String marker, String message) throws Exception {
        String nextMarker = marker();
        try (RawSession smtp = RawSession.inTransaction(server(), listener)) {
            assertThat(smtp.command("DATA").line()).isEqualTo(START_MAIL_INPUT);
            smtp.send(message);
            assertThat(smtp.reply().line()).isEqualTo(MESSAGE_LINE_TOO_LONG);

            assertThat(smtp.command("MAIL FROM:<" + ALICE + ">").line()).isEqualTo(senderOk(ALICE));
            assertThat(smtp.command("RCPT TO:<" + CAROL_REMOTE + ">").line()).isEqualTo(recipientOk(CAROL_REMOTE));
            assertThat(smtp.command("DATA").line()).isEqualTo(START_MAIL_INPUT);
            smtp.send(header(nextMarker) + "\r\nbody\r\n.\r\n");
            assertThat(smtp.reply().line()).isEqualTo(MESSAGE_ACCEPTED);
        }
        awaitRelayed(nextMarker, 1);
        assertNeverRelayed(marker);
    }

    // ---------------------------------------------------------------------------------------------- line ends

    private void bareLfInData(Listener listener) throws Exception {
        String marker = marker();
        try (RawSession smtp = RawSession.inTransaction(server(), listener)) {
            assertThat(smtp.command("DATA").line()).isEqualTo(START_MAIL_INPUT);
            smtp.send(header(marker) + "\r\nfirst line\nsecond line\r\n.\r\n");
            assertThat(smtp.reply().line()).isEqualTo(CRLF_REQUIRED);
            smtp.assertClosedByServer();
        }
        assertNeverRelayed(marker);
    }

    private void bareCrInData(Listener listener) throws Exception {
        String marker = marker();
        try (RawSession smtp = RawSession.inTransaction(server(), listener)) {
            assertThat(smtp.command("DATA").line()).isEqualTo(START_MAIL_INPUT);
            // a bare CR, and the <CR>.<CR> sequence of SMTP smuggling, inside lines that end with CRLF
            smtp.send(header(marker) + "\r\nfirst line\rsecond line\r.\rMAIL FROM:<" + ALICE + ">\r\n.\r\n");
            assertThat(smtp.reply().line()).isEqualTo(MESSAGE_ACCEPTED);
        }
        awaitRelayed(marker, 1);
        // the submission processor (TransferEncode) turned the body into quoted-printable: no bare CR leaves the server
        String relayed = server().relayedMessages().stream()
            .map(message -> new String(message.getData(), StandardCharsets.ISO_8859_1))
            .filter(data -> data.contains(marker))
            .findFirst().orElseThrow();
        assertThat(relayed).contains("\r\n\r\nfirst line=0Dsecond line=0D.=0DMAIL FROM:<" + ALICE + ">\r\n");
        assertThat(relayed.replace("\r\n", "")).doesNotContain("\r");
    }

    private void smugglingAttempt(Listener listener) throws Exception {
        String marker = marker();
        String smuggled = marker();
        try (RawSession smtp = RawSession.inTransaction(server(), listener)) {
            assertThat(smtp.command("DATA").line()).isEqualTo(START_MAIL_INPUT);
            smtp.send(header(marker) + "\r\nbody\n.\r\nMAIL FROM:<" + ALICE + ">\r\nRCPT TO:<" + CAROL_REMOTE + ">\r\nDATA\r\n"
                + header(smuggled) + "\r\nsmuggled\r\n.\r\n");
            assertThat(smtp.reply().line()).isEqualTo(CRLF_REQUIRED);
            smtp.assertClosedByServer();
        }
        assertNeverRelayed(marker);
        assertNeverRelayed(smuggled);
    }

    // ---------------------------------------------------------------------------------------------- size

    private void sizeOverLimitAtMail(Listener listener) throws Exception {
        try (RawSession smtp = RawSession.authenticated(server(), listener)) {
            assertThat(smtp.command("MAIL FROM:<" + ALICE + "> SIZE=40000000").line()).isEqualTo(SIZE_EXCEEDED_AT_MAIL);
            assertStillUsable(smtp);
        }
    }

    private void messageOverLimitInData(Listener listener) throws Exception {
        String marker = marker();
        byte[] line = ("x".repeat(996) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        long lines = MAX_MESSAGE_SIZE / line.length + 1024;
        try (RawSession smtp = RawSession.inTransaction(server(), listener)) {
            assertThat(smtp.command("DATA").line()).isEqualTo(START_MAIL_INPUT);
            smtp.send(header(marker) + "\r\n");
            ByteArrayOutputStream chunk = new ByteArrayOutputStream();
            for (int i = 0; i < 1024; i++) {
                chunk.write(line);
            }
            byte[] block = chunk.toByteArray();
            for (long sent = 0; sent < lines; sent += 1024) {
                smtp.send(block);
            }
            smtp.send(".\r\n");
            assertThat(smtp.reply().line()).isEqualTo(SIZE_EXCEEDED_IN_DATA);
            assertStillUsable(smtp);
        }
        assertNeverRelayed(marker);
    }

    // ---------------------------------------------------------------------------------------------- pipelining

    private void tenThousandRecipients(Listener listener) throws Exception {
        try (RawSession smtp = RawSession.authenticated(server(), listener)) {
            assertThat(smtp.command("MAIL FROM:<" + ALICE + ">").line()).isEqualTo(senderOk(ALICE));
            StringBuilder commands = new StringBuilder();
            for (int i = 0; i < 10_000; i++) {
                commands.append("RCPT TO:<r").append(i).append("@example.com>\r\n");
            }
            CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> smtp.sendUnchecked(commands.toString()));
            for (int i = 0; i < 10_000; i++) {
                String reply = smtp.reply().line();
                if (i < 100) {
                    assertThat(reply).isEqualTo(recipientOk("r" + i + "@example.com"));
                } else {
                    assertThat(reply).as("reply to RCPT %d", i).isEqualTo(tooManyRecipients(100));
                }
            }
            writing.get(REPLY_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            assertThat(smtp.command("RSET").line()).isEqualTo(RESET_OK);
        }
    }

    private void garbageAfterFinalDot(Listener listener) throws Exception {
        String marker = marker();
        try (RawSession smtp = RawSession.inTransaction(server(), listener)) {
            assertThat(smtp.command("DATA").line()).isEqualTo(START_MAIL_INPUT);
            smtp.send(header(marker) + "\r\nbody\r\n.\r\nGARBAGE \u0001\u0002\u007f\r\n\u00ff\u00fe\r\n.\r\nDATA\r\nQUIT\r\n");
            assertThat(smtp.reply().line()).isEqualTo(MESSAGE_ACCEPTED);
            assertThat(smtp.reply().line()).isEqualTo("500 5.5.1 Command GARBAGE unrecognized.");
            assertThat(smtp.reply().line()).isEqualTo("500 5.5.1 Command ?? unrecognized.");
            assertThat(smtp.reply().line()).isEqualTo("500 5.5.1 Command . unrecognized.");
            assertThat(smtp.reply().line()).isEqualTo("503 5.5.0 No sender specified");
            assertThat(smtp.reply().line()).isEqualTo(BYE);
            smtp.assertClosedByServer();
        }
        awaitRelayed(marker, 1);
    }

    private void stopsInTheMiddleOfData(Listener listener) throws Exception {
        String marker = marker();
        try (RawSession smtp = RawSession.inTransaction(server(), listener)) {
            assertThat(smtp.command("DATA").line()).isEqualTo(START_MAIL_INPUT);
            smtp.send(header(marker) + "\r\nthe first half of the body\r\n");
            // the shipped connectiontimeout is 300 s: James is still waiting for the rest a moment later
            smtp.assertNothingReceivedWithin(Duration.ofSeconds(1));
            smtp.abort();
        }
        assertNeverRelayed(marker);
    }

    // ---------------------------------------------------------------------------------------------- TLS

    private void startTlsTwice(Listener listener) throws Exception {
        try (RawSession smtp = RawSession.connect(server(), listener)) {
            assertThat(smtp.command("EHLO mua.example.test").code()).isEqualTo(250);
            assertThat(smtp.command("STARTTLS").line()).isEqualTo(READY_TO_START_TLS);
            smtp.upgradeToTls();
            assertThat(smtp.command("EHLO mua.example.test").code()).isEqualTo(250);
            assertThat(smtp.command("STARTTLS").line()).isEqualTo(TLS_ALREADY_ACTIVE);
            assertThat(smtp.command("AUTH PLAIN " + SmtpTestClient.plainCredentials(ALICE, PASSWORD)).line())
                .isEqualTo(AUTHENTICATION_SUCCESSFUL);
        }
    }

    private void startTlsUnderImplicitTls(Listener listener) throws Exception {
        try (RawSession smtp = RawSession.connect(server(), listener)) {
            assertThat(smtp.command("EHLO mua.example.test").code()).isEqualTo(250);
            assertThat(smtp.command("STARTTLS").line()).isEqualTo("500 5.5.1 Command STARTTLS unrecognized.");
            // James's line decoder still expects a TLS handshake after a STARTTLS line and treats the next command
            // as an injection attempt: it answers its generic fatal error and closes the connection
            assertThat(smtp.command("NOOP").line()).isEqualTo("451 Unable to process request");
            smtp.assertClosedByServer();
        }
    }

    private void tlsHandshakeGarbage(Listener listener) throws Exception {
        byte[] garbage = new byte[4096];
        new Random(4).nextBytes(garbage);
        try (RawSession raw = RawSession.plainSocket(server().smtpPort(listener))) {
            raw.sendUnchecked(garbage);
            raw.assertClosedByServer();
        }
    }

    private void cleartextOnImplicitTls(Listener listener) throws Exception {
        try (RawSession raw = RawSession.plainSocket(server().smtpPort(listener))) {
            raw.sendUnchecked("EHLO mua.example.test\r\nAUTH PLAIN " + SmtpTestClient.plainCredentials(ALICE, PASSWORD) + "\r\n");
            raw.assertClosedByServer();
        }
    }

    private void startTlsHandshakeGarbage(Listener listener) throws Exception {
        byte[] garbage = new byte[4096];
        new Random(5).nextBytes(garbage);
        try (RawSession smtp = RawSession.connect(server(), listener)) {
            assertThat(smtp.command("EHLO mua.example.test").code()).isEqualTo(250);
            assertThat(smtp.command("STARTTLS").line()).isEqualTo(READY_TO_START_TLS);
            smtp.sendUnchecked(garbage);
            smtp.assertClosedByServer();
        }
    }

    // ---------------------------------------------------------------------------------------------- checks

    private static MsaJamesServer server() {
        return james.server();
    }

    /** After a refused command the session goes on: NOOP still answers. */
    private static void assertStillUsable(RawSession smtp) throws IOException {
        assertThat(smtp.command("NOOP").line()).isEqualTo("250 2.0.0 OK");
    }

    private static void assertServesNormalSubmission(Listener listener) throws Exception {
        String subject = TestMessages.uniqueSubject("normal submission after a hostile input");
        try (SmtpTestClient smtp = server().connect(listener).authenticated(ALICE, PASSWORD)) {
            assertThat(smtp.mailFrom(ALICE).line()).isEqualTo(senderOk(ALICE));
            assertThat(smtp.rcptTo(CAROL_REMOTE).line()).isEqualTo(recipientOk(CAROL_REMOTE));
            assertThat(smtp.data(TestMessages.message(ALICE, CAROL_REMOTE, subject)).line()).isEqualTo(MESSAGE_ACCEPTED);
        }
        awaitRelayed(subject, 1);
    }

    private static void awaitRelayed(String marker, int times) {
        awaitRelayed(marker, times, Duration.ofSeconds(60));
    }

    private static void awaitRelayed(String marker, int times, Duration atMost) {
        Awaitility.await("'" + marker + "' at the relay gateway")
            .atMost(atMost)
            .pollInterval(Duration.ofMillis(50))
            .untilAsserted(() -> assertThat(relayedCount(marker)).isEqualTo(times));
    }

    /**
     * Nothing containing the marker reached the relay gateway. Checked at once, and again once the normal submission
     * that follows the item has arrived at the gateway (it went through the same spool and queue), so that a late
     * delivery is seen too.
     */
    private static void assertNeverRelayed(String marker) {
        REFUSED_MARKERS.add(marker);
        assertNotRelayed(marker);
    }

    private static void assertNotRelayed(String marker) {
        assertThat(relayedCount(marker))
            .as("messages at the gateway containing '%s': %s", marker, server().relayedMessages().stream()
                .map(message -> RawSession.printable(Arrays.copyOf(message.getData(), Math.min(600, message.getData().length))))
                .collect(java.util.stream.Collectors.toList()))
            .isZero();
    }


    /** Markers of the messages the current item had refused or interrupted: none may ever reach the relay gateway. */
    private static final List<String> REFUSED_MARKERS = new java.util.concurrent.CopyOnWriteArrayList<>();

    private static long relayedCount(String marker) {
        byte[] needle = marker.getBytes(StandardCharsets.US_ASCII);
        return server().relayedMessages().stream()
            .map(WiserMessage::getData)
            .filter(data -> indexOf(data, needle) >= 0)
            .count();
    }

    private void assertNoLeak(long baselineHeap, int baselineThreads) {
        Awaitility.await("heap back near its baseline of " + baselineHeap / (1024 * 1024) + " MB")
            .atMost(Duration.ofSeconds(20))
            .pollInterval(Duration.ofMillis(500))
            .pollInSameThread()
            .untilAsserted(() -> assertThat(usedHeapAfterGc()).isLessThanOrEqualTo(baselineHeap + 50L * 1024 * 1024));
        Awaitility.await("live threads (outside James's bounded worker pools) back to the baseline of " + baselineThreads)
            .atMost(Duration.ofSeconds(20))
            .pollInterval(Duration.ofMillis(200))
            .pollInSameThread()
            .untilAsserted(() -> assertThat(unpooledThreadCount())
                .as("live threads: %s", liveThreadNames())
                .isLessThanOrEqualTo(baselineThreads));
        // the spooler's worker threads are started on demand up to the <threads> of mailetcontainer.xml (20) and
        // idle out after a minute: bounded, not a leak
        assertThat(liveThreadNames().stream().filter(name -> name.matches("spooler-\\d+")).count())
            .as("spooler threads: %s", liveThreadNames())
            .isLessThanOrEqualTo(20);
    }

    /**
     * Live threads, not counting the on-demand workers of James's bounded Reactor pools (spooler-N,
     * blocking-call-wrapper-N, boundedElastic-N, parallel-N), which are kept up to a minute after use whatever
     * the traffic: every thread a connection could leave behind (Netty, SMTP session, Wiser, TLS) is counted.
     */
    private static int unpooledThreadCount() {
        return (int) liveThreadNames().stream()
            .filter(name -> !name.matches("(spooler|blocking-call-wrapper|boundedElastic|parallel)-\\d+"))
            .count();
    }

    private static List<String> liveThreadNames() {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName).sorted()
            .collect(java.util.stream.Collectors.toList());
    }

    private static long usedHeapAfterGc() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return memory.getHeapMemoryUsage().getUsed();
    }

    /**
     * Brings James's lazily started IO and handler threads up before the baseline: many concurrent sessions on
     * every submission listener, and a normal submission on each.
     */
    private static void warmUp() throws Exception {
        for (Listener listener : new Listener[] {Listener.SUBMISSION, Listener.SUBMISSIONS}) {
            List<RawSession> sessions = new ArrayList<>();
            try {
                for (int i = 0; i < 40; i++) {
                    RawSession session = RawSession.connect(server(), listener);
                    sessions.add(session);
                    assertThat(session.command("EHLO mua.example.test").code()).isEqualTo(250);
                }
            } finally {
                for (RawSession session : sessions) {
                    session.close();
                }
            }
            assertServesNormalSubmission(listener);
        }
        server().clearRelayedMessages();
    }

    // ---------------------------------------------------------------------------------------------- helpers

    private static String marker() {
        return "hostile-" + java.util.UUID.randomUUID();
    }

    private static String header(String subject) {
        return "From: " + ALICE + "\r\n"
            + "To: " + CAROL_REMOTE + "\r\n"
            + "Subject: " + subject + "\r\n"
            + "Date: Sat, 28 Nov 2026 10:00:00 +0000\r\n"
            + "Message-ID: <" + java.util.UUID.randomUUID() + "@example.test>\r\n";
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /**
     * A raw SMTP session that keeps every byte it received, so that the whole transcript can be checked for Java
     * stack traces when it closes. Bytes are written as given (ISO-8859-1 for strings: one char, one octet).
     */
    private static final class RawSession implements AutoCloseable {
        private static final int READ_TIMEOUT_MILLIS = (int) REPLY_TIMEOUT.toMillis();

        private final String host;
        private final int port;
        private final ByteArrayOutputStream received = new ByteArrayOutputStream();
        private Socket socket;
        private InputStream in;
        private OutputStream out;

        private RawSession(String host, int port, Socket socket) throws IOException {
            this.host = host;
            this.port = port;
            use(socket);
        }

        static RawSession plainSocket(int port) throws IOException {
            Socket socket = new Socket();
            socket.bind(new InetSocketAddress(nextClientAddress(), 0));
            socket.connect(new InetSocketAddress(MsaJamesServer.LOOPBACK, port), 10_000);
            return new RawSession(MsaJamesServer.LOOPBACK, port, socket);
        }

        /** Connected, greeting read; TLS negotiated on the implicit-TLS listener. */
        static RawSession connect(MsaJamesServer server, Listener listener) throws IOException {
            RawSession session = plainSocket(server.smtpPort(listener));
            if (listener.implicitTls()) {
                session.upgradeToTls();
            }
            assertThat(session.reply().line()).isEqualTo("220 " + MsaJamesServer.HOSTNAME + " ESMTP ready");
            return session;
        }

        /** EHLO done under TLS (STARTTLS on the submission port). */
        static RawSession underTls(MsaJamesServer server, Listener listener) throws IOException {
            RawSession session = connect(server, listener);
            assertThat(session.command("EHLO mua.example.test").code()).isEqualTo(250);
            if (!listener.implicitTls()) {
                assertThat(session.command("STARTTLS").line()).isEqualTo(READY_TO_START_TLS);
                session.upgradeToTls();
                assertThat(session.command("EHLO mua.example.test").code()).isEqualTo(250);
            }
            return session;
        }

        static RawSession authenticated(MsaJamesServer server, Listener listener) throws IOException {
            RawSession session = underTls(server, listener);
            assertThat(session.command("AUTH PLAIN " + SmtpTestClient.plainCredentials(ALICE, PASSWORD)).line())
                .isEqualTo(AUTHENTICATION_SUCCESSFUL);
            return session;
        }

        /** Authenticated, MAIL FROM alice and RCPT TO a remote recipient accepted. */
        static RawSession inTransaction(MsaJamesServer server, Listener listener) throws IOException {
            RawSession session = authenticated(server, listener);
            assertThat(session.command("MAIL FROM:<" + ALICE + ">").line()).isEqualTo(senderOk(ALICE));
            assertThat(session.command("RCPT TO:<" + CAROL_REMOTE + ">").line()).isEqualTo(recipientOk(CAROL_REMOTE));
            return session;
        }

        String clientAddress() {
            return socket.getLocalAddress().getHostAddress();
        }

        void upgradeToTls() throws IOException {
            SSLSocket tls = (SSLSocket) TrustAllTls.socketFactory().createSocket(socket, host, port, true);
            tls.setUseClientMode(true);
            tls.setSoTimeout(READ_TIMEOUT_MILLIS);
            tls.startHandshake();
            use(tls);
        }

        SmtpReply command(String line) throws IOException {
            send(line + "\r\n");
            return reply();
        }

        void send(String text) throws IOException {
            send(text.getBytes(StandardCharsets.ISO_8859_1));
        }

        void send(byte[] bytes) throws IOException {
            out.write(bytes);
            out.flush();
        }

        void sendUnchecked(String text) {
            sendUnchecked(text.getBytes(StandardCharsets.ISO_8859_1));
        }

        /** Writes, ignoring a connection the server already closed (it may close while the bytes are in flight). */
        void sendUnchecked(byte[] bytes) {
            try {
                send(bytes);
            } catch (IOException closedByServer) {
                // what matters is what the server answered and that it closed: checked by the caller
            }
        }

        SmtpReply reply() throws IOException {
            List<String> lines = new ArrayList<>();
            String line;
            do {
                line = readLine();
                lines.add(line);
            } while (line.length() >= 4 && line.charAt(3) == '-');
            return new SmtpReply(lines);
        }

        /** Reads until the server closes the connection (bounded), and fails if it does not. */
        void assertClosedByServer() throws IOException {
            socket.setSoTimeout(READ_TIMEOUT_MILLIS);
            try {
                byte[] buffer = new byte[8192];
                int read;
                while ((read = in.read(buffer)) != -1) {
                    received.write(buffer, 0, read);
                }
            } catch (SocketTimeoutException e) {
                throw new AssertionError("the server did not close the connection within " + REPLY_TIMEOUT
                    + "; received so far: " + printable(received.toByteArray()), e);
            } catch (SocketException | javax.net.ssl.SSLException reset) {
                // a reset or a TLS alert is a close too
            }
        }

        void assertNothingReceivedWithin(Duration wait) throws IOException {
            socket.setSoTimeout((int) wait.toMillis());
            try {
                int b = in.read();
                throw new AssertionError("expected silence but the server sent "
                    + (b == -1 ? "end of stream" : printable(new byte[] {(byte) b})));
            } catch (SocketTimeoutException expected) {
                // still waiting for the rest of the message
            } finally {
                socket.setSoTimeout(READ_TIMEOUT_MILLIS);
            }
        }

        /** Closes the socket without QUIT, as a client that goes away does. */
        void abort() throws IOException {
            socket.close();
        }

        @Override
        public void close() throws IOException {
            try {
                socket.close();
            } finally {
                byte[] transcript = received.toByteArray();
                String text = new String(transcript, StandardCharsets.ISO_8859_1);
                System.out.println("  received: " + printable(transcript));
                for (String leak : JAVA_LEAKS) {
                    assertThat(text).as("bytes received from the server: %s", printable(transcript)).doesNotContain(leak);
                }
            }
        }

        private void use(Socket newSocket) throws IOException {
            newSocket.setSoTimeout(READ_TIMEOUT_MILLIS);
            socket = newSocket;
            in = newSocket.getInputStream();
            out = newSocket.getOutputStream();
        }

        private String readLine() throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) != -1) {
                received.write(b);
                if (b == '\n') {
                    byte[] raw = line.toByteArray();
                    int length = raw.length > 0 && raw[raw.length - 1] == '\r' ? raw.length - 1 : raw.length;
                    return new String(raw, 0, length, StandardCharsets.ISO_8859_1);
                }
                line.write(b);
            }
            throw new EOFException("connection closed by the server; received: " + printable(received.toByteArray()));
        }

        static String printable(byte[] bytes) {
            StringBuilder text = new StringBuilder();
            int shown = Math.min(bytes.length, 4000);
            for (int i = 0; i < shown; i++) {
                int b = bytes[i] & 0xff;
                if (b == '\r') {
                    text.append("\\r");
                } else if (b == '\n') {
                    text.append("\\n");
                } else if (b >= 0x20 && b < 0x7f) {
                    text.append((char) b);
                } else {
                    text.append(String.format("\\x%02x", b));
                }
            }
            return bytes.length > shown ? text + "...(" + bytes.length + " bytes)" : text.toString();
        }
    }
}
