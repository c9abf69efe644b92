package org.msa4james.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.msa4james.it.ExpectedReplies.MESSAGE_ACCEPTED;
import static org.msa4james.it.ExpectedReplies.recipientOk;
import static org.msa4james.it.ExpectedReplies.senderOk;
import static org.msa4james.it.Fixtures.ALICE;
import static org.msa4james.it.Fixtures.BOB;
import static org.msa4james.it.Fixtures.BOB_AT_SALES;
import static org.msa4james.it.Fixtures.CAROL_REMOTE;
import static org.msa4james.it.Fixtures.PASSWORD;
import static org.msa4james.it.Listener.SUBMISSION;
import static org.msa4james.it.Listener.SUBMISSIONS;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.msa4james.concealment.RewriteMap;
import org.msa4james.concealment.TraceToken;
import org.subethamail.wiser.WiserMessage;

/**
 * RFC 6409 section 8.8 through a real James on the shipped configuration, with the ConcealLocalAddresses block of
 * mailetcontainer.xml (msa.trace.key, msa.rewrite.map): a submission leaves with no client address and no client
 * name in any Received field James wrote, but with the token {@link TraceToken} computes for the client
 * (127.0.0.1) and the session id of that field; X-Originating-IP is removed; the rewrite map rewrites the envelope
 * sender and the From field, and nothing else.
 *
 * <p>The relayed message's topmost Received field is the Wiser's own, written when James delivered to it: it
 * names James (localhost, 127.0.0.1, because the test runs everything on one machine), not the client, and is not
 * examined.</p>
 */
class ConcealmentTest {
    private static final String TRACE_KEY = "it-trace-key-0123456789abcdefghijklmn";
    private static final String CLIENT_ADDRESS = "127.0.0.1";
    /** The EHLO name SmtpTestClient gives. */
    private static final String CLIENT_EHLO_NAME = "mua.example.test";
    private static final Duration RELAY_TIMEOUT = Duration.ofSeconds(20);
    private static final String ALICE_PUBLIC = "Alice.Liddell@example.test";
    private static final Path MAP_DIRECTORY = createMapDirectory();
    private static final Path MAP = writeMap(MAP_DIRECTORY,
        "# the test site's rules\n"
            + ALICE + "   " + ALICE_PUBLIC + "\n"
            + "@sales.example.test  @example.test\n");

    /** James's Received field after concealment, for one recipient: client name, session id. */
    private static final Pattern HIDDEN_RECEIVED = Pattern.compile("Received: from (msa-client-[a-z2-7]{26})\r\n"
        + " {10}by msa\\.example\\.test \\(JAMES SMTP Server \\) with ESMTPA ID ([0-9a-f]+)\r\n"
        + " {10}for <carol@example\\.com>;\r\n"
        + " {10}[A-Z][a-z]{2}, \\d{2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2} [+-]\\d{4} \\([^)]+\\)");

    @RegisterExtension
    static MsaJamesExtension james = MsaJamesExtension.withProperties(properties -> properties
        .property("msa.trace.key", TRACE_KEY)
        .property("msa.rewrite.map", "file://" + MAP.toAbsolutePath()));

    @AfterAll
    static void deleteMap() throws IOException {
        Files.deleteIfExists(MAP);
        Files.deleteIfExists(MAP_DIRECTORY);
    }

    @Test
    void submissionShouldLeaveWithoutClientAddressOrNameInAnyReceivedField() throws Exception {
        String subject = TestMessages.uniqueSubject("conceal 587");
        submit(SUBMISSION, BOB, message("Bob <" + BOB + ">", subject));

        WiserMessage relayed = awaitRelayed(subject);

        List<String> received = fields(relayed, "Received");
        assertThat(received).hasSize(2);
        assertThat(received.get(0)).as("the Wiser's own Received field").contains("by remote.example.com");
        assertThat(received.subList(1, received.size())).allSatisfy(field -> assertThat(field)
            .doesNotContain(CLIENT_ADDRESS)
            .doesNotContain("localhost")
            .doesNotContain(CLIENT_EHLO_NAME)
            .doesNotContain("EHLO"));
        assertHiddenReceived(received.get(1));
    }

    @Test
    void submissionShouldLoseXOriginatingIpAndKeepUserAgent() throws Exception {
        String subject = TestMessages.uniqueSubject("conceal fields");
        submit(SUBMISSION, BOB, message("Bob <" + BOB + ">", subject));

        WiserMessage relayed = awaitRelayed(subject);

        assertThat(fields(relayed, "X-Originating-IP")).isEmpty();
        assertThat(fields(relayed, "User-Agent")).containsExactly("User-Agent: Thunderbird/115.5.0");
        assertThat(header(relayed).replace(fields(relayed, "Received").get(0), ""))
            .as("the header without the Wiser's own Received field")
            .doesNotContain(CLIENT_ADDRESS);
    }

    @Test
    void submissionFromAMappedAddressShouldLeaveWithTheRewrittenSenderAndFrom() throws Exception {
        String subject = TestMessages.uniqueSubject("conceal address");
        submit(SUBMISSION, ALICE, message("\"Alice L.\" <" + ALICE + ">", subject));

        WiserMessage relayed = awaitRelayed(subject);

        assertThat(relayed.getEnvelopeSender()).isEqualTo(ALICE_PUBLIC);
        assertThat(relayed.getEnvelopeReceiver()).isEqualTo(CAROL_REMOTE);
        assertThat(fields(relayed, "From")).containsExactly("From: \"Alice L.\" <" + ALICE_PUBLIC + ">");
        assertThat(fields(relayed, "To")).containsExactly("To: Carol <" + CAROL_REMOTE + ">");
        assertHiddenReceived(fields(relayed, "Received").get(1));
    }

    @Test
    void submissionFromAMappedDomainShouldKeepTheLocalPart() throws Exception {
        String subject = TestMessages.uniqueSubject("conceal domain");
        submit(SUBMISSIONS, BOB_AT_SALES, message("Bob at Sales <" + BOB_AT_SALES + ">", subject));

        WiserMessage relayed = awaitRelayed(subject);

        assertThat(relayed.getEnvelopeSender()).isEqualTo("bob@example.test");
        assertThat(fields(relayed, "From")).containsExactly("From: Bob at Sales <bob@example.test>");
    }

    @Test
    void submissionFromAnUnmappedAddressShouldKeepItsSenderAndFrom() throws Exception {
        String subject = TestMessages.uniqueSubject("conceal unmapped");
        submit(SUBMISSION, BOB, message("Bob <" + BOB + ">", subject));

        WiserMessage relayed = awaitRelayed(subject);

        assertThat(relayed.getEnvelopeSender()).isEqualTo(BOB);
        assertThat(fields(relayed, "From")).containsExactly("From: Bob <" + BOB + ">");
    }

    @Test
    void shippedRewriteMapShouldHoldNoRuleAndItsExamplesShouldBeValid() throws Exception {
        byte[] shipped;
        try (InputStream in = ConcealmentTest.class.getClassLoader().getResourceAsStream("address-rewrite.map")) {
            assertThat(in).as("conf/address-rewrite.map on the test class path").isNotNull();
            shipped = in.readAllBytes();
        }
        String examples = new String(shipped, StandardCharsets.UTF_8).lines()
            .filter(line -> line.matches("# [^ ]*@[^ ]+ +[^ ]*@[^ ]+.*"))
            .map(line -> line.substring(2))
            .collect(Collectors.joining("\n"));

        assertThat(RewriteMap.parse("address-rewrite.map", shipped).isEmpty()).isTrue();
        RewriteMap exampleMap = RewriteMap.parse("examples", examples.getBytes(StandardCharsets.UTF_8));
        assertThat(exampleMap.size()).isEqualTo(2);
        assertThat(exampleMap.rewriteAddress("jru", "corp.example.test")).contains("J.Random.User@example.test");
        assertThat(exampleMap.rewriteAddress("bob", "squeaky.sales.example.test")).contains("bob@example.test");
    }

    private static void assertHiddenReceived(String field) {
        Matcher matcher = HIDDEN_RECEIVED.matcher(field);
        assertThat(matcher.matches()).as("James's Received field after concealment: %s", field).isTrue();
        String sessionId = matcher.group(2);
        assertThat(matcher.group(1)).isEqualTo(TraceToken.withKey(TRACE_KEY).clientName(CLIENT_ADDRESS, sessionId));
    }

    private static String message(String from, String subject) {
        return "From: " + from + "\r\n"
            + "To: Carol <" + CAROL_REMOTE + ">\r\n"
            + "Subject: " + subject + "\r\n"
            + "Date: Sat, 28 Nov 2026 10:00:00 +0000\r\n"
            + "Message-ID: <" + UUID.randomUUID() + "@example.test>\r\n"
            + "X-Originating-IP: [" + CLIENT_ADDRESS + "]\r\n"
            + "User-Agent: Thunderbird/115.5.0\r\n"
            + "MIME-Version: 1.0\r\n"
            + "Content-Type: text/plain; charset=us-ascii\r\n"
            + "\r\n"
            + TestMessages.body(subject);
    }

    private static void submit(Listener listener, String user, String message) throws IOException {
        try (SmtpTestClient smtp = james.server().connect(listener).authenticated(user, PASSWORD)) {
            assertThat(smtp.mailFrom(user).line()).isEqualTo(senderOk(user));
            assertThat(smtp.rcptTo(CAROL_REMOTE).line()).isEqualTo(recipientOk(CAROL_REMOTE));
            assertThat(smtp.data(message).line()).isEqualTo(MESSAGE_ACCEPTED);
        }
    }

    private static WiserMessage awaitRelayed(String subject) {
        return Awaitility.await("message '" + subject + "' relayed")
            .atMost(RELAY_TIMEOUT)
            .pollInterval(Duration.ofMillis(100))
            .until(() -> james.server().relayedMessages().stream()
                .filter(message -> fields(message, "Subject").contains("Subject: " + subject))
                .findFirst(), Optional::isPresent)
            .orElseThrow();
    }

    private static String header(WiserMessage message) {
        String data = new String(message.getData(), StandardCharsets.ISO_8859_1);
        int end = data.indexOf("\r\n\r\n");
        return end < 0 ? data : data.substring(0, end);
    }

    /** The fields of that name, each with its name and folding, as received. */
    private static List<String> fields(WiserMessage message, String name) {
        List<String> fields = new ArrayList<>();
        for (String line : header(message).split("\r\n")) {
            if ((line.startsWith(" ") || line.startsWith("\t")) && !fields.isEmpty()) {
                int last = fields.size() - 1;
                fields.set(last, fields.get(last) + "\r\n" + line);
            } else {
                fields.add(line);
            }
        }
        return fields.stream()
            .filter(field -> field.regionMatches(true, 0, name + ":", 0, name.length() + 1))
            .collect(Collectors.toList());
    }

    private static Path createMapDirectory() {
        try {
            return Files.createTempDirectory("msa4james-rewrite-map-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path writeMap(Path directory, String content) {
        try {
            return Files.writeString(directory.resolve("address-rewrite.map"), content, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
