package org.msa4james.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.msa4james.it.ExpectedReplies.AUTHENTICATION_SUCCESSFUL;
import static org.msa4james.it.ExpectedReplies.MESSAGE_ACCEPTED;
import static org.msa4james.it.ExpectedReplies.recipientOk;
import static org.msa4james.it.ExpectedReplies.senderOk;
import static org.msa4james.it.Fixtures.ALICE;
import static org.msa4james.it.Fixtures.BOB;
import static org.msa4james.it.Fixtures.PASSWORD;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;

/**
 * Abuse limits over real sockets: password guessing (454 4.7.0, then the connection closed), per-user sending limits
 * (451 4.7.1) and the refusal log. Each test uses its own loopback source address (Linux accepts any 127/8 address),
 * since the failure counts of an address last for the class's server.
 */
class AbuseLimitsTest {
    private static final String WRONG_PASSWORD = "not-the-password";
    private static final DateTimeFormatter RESET_TIME = DateTimeFormatter.ofPattern("HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    @RegisterExtension
    static MsaJamesExtension james = MsaJamesExtension.withProperties(properties -> properties
        .property("msa.sending.overrides", "bob@example.test=2/100, alice@example.test=100/2"));

    private final Logger rootLogger = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    private Level rootLevel;

    @BeforeEach
    void captureLogs() {
        rootLevel = rootLogger.getLevel();
        rootLogger.setLevel(Level.INFO);
        logged.start();
        rootLogger.addAppender(logged);
    }

    @AfterEach
    void releaseLogs() {
        rootLogger.detachAppender(logged);
        rootLogger.setLevel(rootLevel);
    }

    @Test
    void theSixthAuthFromAGuessingAddressShouldGet454WhileTheUserStillLogsInFromAnotherAddress() throws Exception {
        String attacker = "127.0.0.1";
        for (int i = 1; i <= 5; i++) {
            Listener listener = i <= 3 ? Listener.SUBMISSION : Listener.SUBMISSIONS;
            try (SmtpTestClient smtp = connect(attacker, listener)) {
                smtp.ehloUnderTls();
                assertThat(smtp.authPlain(ALICE, WRONG_PASSWORD).code()).as("failure %s", i).isEqualTo(535);
            }
        }

        try (SmtpTestClient smtp = connect(attacker, Listener.SUBMISSION)) {
            smtp.ehloUnderTls();
            assertThat(smtp.authPlain(ALICE, PASSWORD).line())
                .isEqualTo("454 4.7.0 Too many failed authentication attempts from 127.0.0.1; try again later");
        }

        try (SmtpTestClient victim = connect("127.0.0.2", Listener.SUBMISSION)) {
            victim.ehloUnderTls();
            assertThat(victim.authPlain(ALICE, PASSWORD).line()).isEqualTo(AUTHENTICATION_SUCCESSFUL);
        }

        assertThat(refusals()).contains("refused rule=auth-failure-limit reply=\"454 4.7.0 Too many failed authentication "
            + "attempts from 127.0.0.1; try again later\" user=- client=127.0.0.1 listener=submission");
        assertThat(refusals()).contains("refused rule=AuthCmdHandler reply=\"535 Authentication Failed\" user=- "
            + "client=127.0.0.1 listener=submissions");
    }

    /**
     * The 454 waits 3 s (the shipped authFailureDelay) without holding James's IO threads: while 8 guessing sessions
     * (more than James's IO threads on this machine) wait for theirs, a user from another address logs in.
     */
    @Test
    void the454ShouldComeAfterTheDelayWhileOtherClientsAreServed() throws Exception {
        String attacker = "127.0.0.8";
        for (int i = 1; i <= 5; i++) {
            try (SmtpTestClient smtp = connect(attacker, Listener.SUBMISSION)) {
                smtp.ehloUnderTls();
                assertThat(smtp.authPlain(ALICE, WRONG_PASSWORD).code()).as("failure %s", i).isEqualTo(535);
            }
        }
        List<SmtpTestClient> guessers = new ArrayList<>();
        ExecutorService readers = Executors.newFixedThreadPool(8);
        try {
            for (int i = 0; i < 8; i++) {
                SmtpTestClient guesser = connect(attacker, Listener.SUBMISSION);
                guessers.add(guesser);
                guesser.ehloUnderTls();
            }
            List<Future<TimedReply>> replies = new ArrayList<>();
            for (SmtpTestClient guesser : guessers) {
                long sentAt = System.nanoTime();
                guesser.send("AUTH PLAIN " + SmtpTestClient.plainCredentials(ALICE, PASSWORD));
                replies.add(readers.submit(() -> new TimedReply(sentAt, guesser.nextReply())));
            }

            long victimLoggedInAt;
            try (SmtpTestClient victim = connect("127.0.0.9", Listener.SUBMISSION)) {
                victim.ehloUnderTls();
                assertThat(victim.authPlain(ALICE, PASSWORD).line()).isEqualTo(AUTHENTICATION_SUCCESSFUL);
                victimLoggedInAt = System.nanoTime();
            }

            for (Future<TimedReply> reply : replies) {
                TimedReply timed = reply.get(30, TimeUnit.SECONDS);
                assertThat(timed.reply.line())
                    .isEqualTo("454 4.7.0 Too many failed authentication attempts from 127.0.0.8; try again later");
                assertThat(timed.waitedNanos()).as("the pause before the 454").isGreaterThanOrEqualTo(TimeUnit.SECONDS.toNanos(3));
                assertThat(timed.receivedAt).as("the other address was served during the pause").isGreaterThan(victimLoggedInAt);
            }
            // the session goes on after the pause
            assertThat(guessers.get(0).command("NOOP").line()).isEqualTo("250 2.0.0 OK");
        } finally {
            readers.shutdownNow();
            for (SmtpTestClient guesser : guessers) {
                guesser.close();
            }
        }
    }

    @Test
    void aClientThatDoesNotWaitForTheDelayed454ShouldBeDisconnected() throws Exception {
        String attacker = "127.0.0.10";
        for (int i = 1; i <= 5; i++) {
            try (SmtpTestClient smtp = connect(attacker, Listener.SUBMISSION)) {
                smtp.ehloUnderTls();
                assertThat(smtp.authPlain(ALICE, WRONG_PASSWORD).code()).as("failure %s", i).isEqualTo(535);
            }
        }
        try (SmtpTestClient smtp = connect(attacker, Listener.SUBMISSION)) {
            smtp.ehloUnderTls();

            smtp.send("AUTH PLAIN " + SmtpTestClient.plainCredentials(ALICE, PASSWORD), "MAIL FROM:<" + ALICE + ">", "RCPT TO:<carol@example.com>");

            assertThat(smtp.nextReply().line())
                .isEqualTo("454 4.7.0 Too many failed authentication attempts from 127.0.0.10; try again later");
            assertThatThrownBy(smtp::nextReply).isInstanceOf(IOException.class);
        }
    }

    @Test
    void theConnectionShouldBeClosedAfterThreeFailedAuthInOneSession() throws Exception {
        try (SmtpTestClient smtp = connect("127.0.0.3", Listener.SUBMISSION)) {
            smtp.ehloUnderTls();
            for (int i = 1; i <= 3; i++) {
                assertThat(smtp.authLogin(ALICE, WRONG_PASSWORD).code()).as("failure %s", i).isEqualTo(535);
            }

            assertThat(smtp.authPlain(ALICE, PASSWORD).line())
                .isEqualTo("421 4.7.0 Too many failed authentication attempts in this session (3); closing connection");
            assertThatThrownBy(() -> smtp.command("NOOP")).isInstanceOf(IOException.class);
        }
    }

    @Test
    void anAuthPayloadOrPasswordShouldNeverBeLogged() throws Exception {
        String secret = "Secret-Guess-4711";
        try (SmtpTestClient smtp = connect("127.0.0.4", Listener.SUBMISSION)) {
            smtp.ehloUnderTls();
            assertThat(smtp.authPlain(ALICE, secret).code()).isEqualTo(535);
            assertThat(smtp.authLogin(BOB, secret).code()).isEqualTo(535);
        }
        String plainPayload = SmtpTestClient.plainCredentials(ALICE, secret);
        String loginPassword = java.util.Base64.getEncoder()
            .encodeToString(secret.getBytes(java.nio.charset.StandardCharsets.UTF_8));

        List<String> everything = events().stream().map(ILoggingEvent::getFormattedMessage).collect(Collectors.toList());
        // the AUTH PLAIN refusal, and the AUTH LOGIN one that James wrote unseen, handed over at QUIT
        String refusal = "refused rule=AuthCmdHandler reply=\"535 Authentication Failed\" user=- client=127.0.0.4 listener=submission";
        assertThat(refusals()).filteredOn(line -> line.contains("client=127.0.0.4")).containsExactly(refusal, refusal);
        assertThat(everything).noneMatch(line -> line.contains(plainPayload) || line.contains(loginPassword)
            || line.contains(secret));
    }

    /**
     * A client speaking in clear to the implicit-TLS port sends its password before any TLS: Netty's error holds those
     * bytes in hex, which James alone would log at ERROR. Neither the hex, nor the base64, nor the password is logged.
     */
    @Test
    void cleartextCredentialsSentToTheImplicitTlsPortShouldNotBeLogged() throws Exception {
        String secret = "Cleartext-Secret-0815";
        String cleartext = "EHLO mua.example.test\r\nAUTH PLAIN " + SmtpTestClient.plainCredentials(ALICE, secret) + "\r\n";
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress("127.0.0.11", 0));
            socket.connect(new InetSocketAddress(MsaJamesServer.LOOPBACK, james.server().smtpPort(Listener.SUBMISSIONS)), 10_000);
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(cleartext.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();

            assertThat(socket.getInputStream().read()).as("closed by the server").isEqualTo(-1);
        }

        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(events())
            .extracting(ILoggingEvent::getFormattedMessage)
            .anyMatch(line -> line.matches("Session \\S+: client 127\\.0\\.0\\.11 sent data that is not TLS where TLS "
                + "was expected; connection closed")));
        StringBuilder hex = new StringBuilder();
        for (byte b : cleartext.getBytes(StandardCharsets.US_ASCII)) {
            hex.append(String.format("%02x", b));
        }
        String payload = SmtpTestClient.plainCredentials(ALICE, secret);
        assertThat(events()).noneMatch(event -> logged(event).contains(secret) || logged(event).contains(payload)
            || logged(event).contains(hex.substring(40, 120)));
    }

    @Test
    void aFloodOfRefusalsShouldLogAtMostTheConfiguredLinesPerAddress() throws Exception {
        try (SmtpTestClient smtp = connect("127.0.0.6", Listener.SUBMISSION)) {
            for (int i = 0; i < 100; i++) {
                assertThat(smtp.command("XFLOOD " + i).code()).isEqualTo(500);
            }
        }

        List<String> flood = refusals().stream().filter(line -> line.contains("client=127.0.0.6")).collect(Collectors.toList());
        // 20 lines per address and minute: 20, unless the 100 commands straddled the end of the first minute.
        assertThat(flood.size()).isBetween(20, 41);
        assertThat(flood.get(0)).isEqualTo("refused rule=UnknownCmdHandler reply=\"500 5.5.1 Command XFLOOD unrecognized.\" "
            + "user=- client=127.0.0.6 listener=submission");
    }

    @Test
    void aUserOverTheHourlyMessageLimitShouldGet451AtMail() throws Exception {
        Instant before = Instant.now();
        try (SmtpTestClient smtp = connect("127.0.0.5", Listener.SUBMISSION)) {
            smtp.authenticated(BOB, PASSWORD);
            for (int i = 1; i <= 2; i++) {
                assertThat(smtp.mailFrom(BOB).line()).isEqualTo(senderOk(BOB));
                assertThat(smtp.rcptTo(ALICE).line()).isEqualTo(recipientOk(ALICE));
                assertThat(smtp.data(TestMessages.message(BOB, ALICE, TestMessages.uniqueSubject("limit " + i))).line())
                    .isEqualTo(MESSAGE_ACCEPTED);
            }
            Instant after = Instant.now();

            String refusal = smtp.mailFrom(BOB).line();

            assertThat(refusal).isIn(expectedLimit("messages", 2, BOB, before), expectedLimit("messages", 2, BOB, after));
        }
        assertThat(refusals()).anyMatch(line -> line.startsWith("refused rule=sending-rate-limit reply=\"451 4.7.1 Sending "
            + "limit reached: at most 2 messages per hour for bob@example.test; try again after ")
            && line.endsWith(" UTC\" user=bob@example.test client=127.0.0.5 listener=submission"));
    }

    @Test
    void aUserOverTheHourlyRecipientLimitShouldGet451AtRcpt() throws Exception {
        Instant before = Instant.now();
        try (SmtpTestClient smtp = connect("127.0.0.7", Listener.SUBMISSIONS)) {
            smtp.authenticated(ALICE, PASSWORD);
            assertThat(smtp.mailFrom(ALICE).line()).isEqualTo(senderOk(ALICE));
            assertThat(smtp.rcptTo(BOB).line()).isEqualTo(recipientOk(BOB));
            assertThat(smtp.rcptTo(ALICE).line()).isEqualTo(recipientOk(ALICE));
            assertThat(smtp.data(TestMessages.message(ALICE, BOB, TestMessages.uniqueSubject("two recipients"))).line())
                .isEqualTo(MESSAGE_ACCEPTED);
            Instant after = Instant.now();

            assertThat(smtp.mailFrom(ALICE).line()).isEqualTo(senderOk(ALICE));
            assertThat(smtp.rcptTo(BOB).line())
                .isIn(expectedLimit("recipients", 2, ALICE, before), expectedLimit("recipients", 2, ALICE, after));
        }
    }

    private static String expectedLimit(String what, int limit, String user, Instant windowStart) {
        return "451 4.7.1 Sending limit reached: at most " + limit + " " + what + " per hour for " + user
            + "; try again after " + RESET_TIME.format(windowStart.plus(1, ChronoUnit.HOURS));
    }

    /** The message of an event and the messages of its exception and causes. */
    private static String logged(ILoggingEvent event) {
        StringBuilder text = new StringBuilder(event.getFormattedMessage());
        for (IThrowableProxy cause = event.getThrowableProxy(); cause != null; cause = cause.getCause()) {
            text.append('\n').append(cause.getMessage());
        }
        return text.toString();
    }

    /** A reply and when it arrived, with when its command was sent (System.nanoTime). */
    private static final class TimedReply {
        private final long sentAt;
        private final long receivedAt;
        private final SmtpReply reply;

        TimedReply(long sentAt, SmtpReply reply) {
            this.sentAt = sentAt;
            this.receivedAt = System.nanoTime();
            this.reply = reply;
        }

        long waitedNanos() {
            return receivedAt - sentAt;
        }
    }

    /** The events so far; the appender adds under its own lock from James's threads. */
    private List<ILoggingEvent> events() {
        synchronized (logged) {
            return new java.util.ArrayList<>(logged.list);
        }
    }

    private List<String> refusals() {
        return events().stream()
            .filter(event -> event.getLoggerName().equals("org.msa4james.refusals"))
            .map(ILoggingEvent::getFormattedMessage)
            .collect(Collectors.toList());
    }

    private static SmtpTestClient connect(String localAddress, Listener listener) throws IOException {
        if (listener.implicitTls()) {
            return SmtpTestClient.connectImplicitTlsFrom(localAddress, MsaJamesServer.LOOPBACK, james.server().smtpPort(listener));
        }
        return SmtpTestClient.connectFrom(localAddress, MsaJamesServer.LOOPBACK, james.server().smtpPort(listener));
    }
}
