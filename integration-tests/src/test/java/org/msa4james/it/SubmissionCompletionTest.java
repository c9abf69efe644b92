package org.msa4james.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.msa4james.it.ExpectedReplies.MESSAGE_ACCEPTED;
import static org.msa4james.it.ExpectedReplies.recipientOk;
import static org.msa4james.it.ExpectedReplies.senderOk;
import static org.msa4james.it.Fixtures.ALICE;
import static org.msa4james.it.Fixtures.BOB;
import static org.msa4james.it.Fixtures.CAROL_REMOTE;
import static org.msa4james.it.Fixtures.DAVE_REMOTE;
import static org.msa4james.it.Fixtures.DOMAIN;
import static org.msa4james.it.Fixtures.PASSWORD;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.apache.james.core.Username;
import org.apache.james.jdkim.api.SignatureRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.subethamail.wiser.WiserMessage;

/**
 * Completion end to end, through a real James on the shipped configuration (submission processor: AddMissingDate,
 * AddMissingMessageId, QualifyAddresses, AddSender, ConcealLocalAddresses, TransferEncode, RemoveMimeHeader bcc,
 * PrepareForSigning, DKIMSign), with the single-label expansion {@code sales=sales.example.test} and bob@example.test
 * having delegated his account to alice:
 * <ul>
 *   <li>an unfinished message (no Date, no Message-ID, {@code To: bob@sales, ...}, a Bcc field, X-Originating-IP)
 *       submitted on 587 leaves for the next hop (the Wiser) and is delivered to a local mailbox (read back over
 *       IMAP) completed: an RFC 5322 Date of the reception time, a Message-ID on the sender's domain and not the
 *       machine's host name, qualified To, Sender exactly when the user is not the author, no Bcc, no
 *       X-Originating-IP, no client address or name in any Received field James wrote, and a DKIM signature that
 *       verifies over the bytes received;</li>
 *   <li>a message whose header is complete keeps its Date and Message-ID fields byte for byte;</li>
 *   <li>mail relayed in on port 25 is neither completed nor rewritten.</li>
 * </ul>
 * The session rules and header checks, concealment details and DKIM corner cases are proved by
 * SubmissionSessionRulesTest, HeaderRulesTest, ConcealmentTest and DkimSigningTest; this class proves the sum.
 */
class SubmissionCompletionTest {
    private static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(20);
    /** The shipped default of msa.dkim.selector, kept by MsaJamesServer. */
    private static final String SELECTOR = "msa";
    private static final String CLIENT_ADDRESS = "127.0.0.1";
    /** The EHLO name SmtpTestClient gives. */
    private static final String CLIENT_EHLO_NAME = "mua.example.test";
    private static final String UNFINISHED_TO = "bob@sales, Carol <" + CAROL_REMOTE + ">";
    private static final String QUALIFIED_TO_FIELD = "To: bob@sales.example.test, Carol <" + CAROL_REMOTE + ">";
    private static final String BOB_AS_AUTHOR = "Bob <" + BOB + ">";

    /**
     * The Date field AddMissingDate writes (zone UTC in the shipped configuration): RFC 5322 section 3.3 as its
     * section 3.3 recommends it be generated, day-of-week present, day without leading zero, seconds, numeric zone.
     */
    private static final Pattern COMPLETED_DATE_FIELD = Pattern.compile("Date: ((?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), "
        + "(?:[1-9]|[12][0-9]|3[01]) (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [0-9]{4} "
        + "(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9] \\+0000)");
    /**
     * The Message-ID field AddMissingMessageId writes: {@code <time.random@domain>}, time in base 36, 128 random bits
     * in lower-case base32hex, the envelope sender's domain on the right.
     */
    private static final Pattern COMPLETED_MESSAGE_ID_FIELD = Pattern.compile("Message-ID: (<[0-9a-z]+\\.[0-9a-v]{26}@example\\.test>)");

    /**
     * What James puts above a message it accepts on port 25 for bob: Return-Path, Delivered-To and its Received field
     * with the client's reverse name (localhost here), EHLO name and address in clear (nothing concealed), then the
     * message. The date is in the JVM's zone.
     */
    private static final Pattern PORT_25_TRACE = Pattern.compile("Return-Path: <carol@example\\.com>\r\n"
        + "Delivered-To: bob@example\\.test\r\n"
        + "Received: from [^ ]+ \\(EHLO mua\\.example\\.test\\) \\(\\[127\\.0\\.0\\.1\\]\\)\r\n"
        + " {10}by msa\\.example\\.test \\(JAMES SMTP Server \\) with ESMTP ID [0-9a-f]+\r\n"
        + " {10}for <bob@example\\.test>;\r\n"
        + " {10}[A-Z][a-z]{2}, \\d{1,2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2} [+-]\\d{4} \\([^)]+\\)\r\n");

    @RegisterExtension
    static MsaJamesExtension james = MsaJamesExtension.withProperties(properties -> properties
        .property("msa.domain.expansions", "sales=sales.example.test"));

    @BeforeAll
    static void bobDelegatesToAlice() {
        james.server().dataProbe().addAuthorizedUser(Username.of(BOB), Username.of(ALICE));
    }

    @Nested
    class RelayedSubmission {
        @Test
        void unfinishedMessageFromTheUserShouldLeaveCompletedSignedAndWithoutSender() throws Exception {
            String subject = TestMessages.uniqueSubject("unfinished from alice");
            String from = "Alice <" + ALICE + ">";

            Window window = submit(List.of(CAROL_REMOTE, DAVE_REMOTE), unfinishedMessage(from, subject));

            WiserMessage toCarol = awaitRelayed(subject, CAROL_REMOTE);
            assertThat(toCarol.getEnvelopeSender()).isEqualTo(ALICE);
            byte[] relayed = toCarol.getData();
            assertCompleted(relayed, window, from, Optional.empty());
            assertJamesReceivedFieldHidesTheClient(jamesReceivedFields(relayed));
            assertThat(body(relayed)).isEqualTo(TestMessages.body(subject));
            assertThat(awaitRelayed(subject, DAVE_REMOTE).getData()).as("the Bcc recipient's copy").isEqualTo(relayed);
        }

        @Test
        void unfinishedMessageFromADelegatorShouldLeaveCompletedSignedAndWithTheUserAsSender() throws Exception {
            String subject = TestMessages.uniqueSubject("unfinished from the delegator");

            Window window = submit(List.of(CAROL_REMOTE, DAVE_REMOTE), unfinishedMessage(BOB_AS_AUTHOR, subject));

            byte[] relayed = awaitRelayed(subject, CAROL_REMOTE).getData();
            assertCompleted(relayed, window, BOB_AS_AUTHOR, Optional.of("Sender: " + ALICE));
            assertJamesReceivedFieldHidesTheClient(jamesReceivedFields(relayed));
            assertThat(body(relayed)).isEqualTo(TestMessages.body(subject));
            assertThat(awaitRelayed(subject, DAVE_REMOTE).getData()).as("the Bcc recipient's copy").isEqualTo(relayed);
        }
    }

    @Nested
    class LocalDelivery {
        @Test
        void unfinishedMessageToALocalUserShouldBeReadBackOverImapWithTheSameCompletion() throws Exception {
            String subject = TestMessages.uniqueSubject("unfinished to a local user");

            Window window = submit(List.of(BOB, CAROL_REMOTE), unfinishedMessage(BOB_AS_AUTHOR, subject));

            byte[] stored;
            try (ImapTestClient imap = james.server().imap(BOB)) {
                stored = imap.awaitRawMessage(subject);
            }
            assertCompleted(stored, window, BOB_AS_AUTHOR, Optional.of("Sender: " + ALICE));
            // local delivery adds no Received field: the only one is James's, written for the submission
            assertJamesReceivedFieldHidesTheClient(headerFields(stored, "Received"));
            assertThat(headerFields(stored, "Delivered-To")).containsExactly("Delivered-To: " + BOB);
            assertThat(body(stored)).isEqualTo(TestMessages.body(subject));

            // completed once, before the copies part: the relayed copy carries the very same Date and Message-ID
            byte[] relayed = awaitRelayed(subject, CAROL_REMOTE).getData();
            assertThat(headerFields(relayed, "Date")).isEqualTo(headerFields(stored, "Date"));
            assertThat(headerFields(relayed, "Message-ID")).isEqualTo(headerFields(stored, "Message-ID"));
        }
    }

    @Nested
    class CompleteMessage {
        @Test
        void completeHeaderShouldKeepItsDateAndMessageIdByteForByteAndGetNoSender() throws Exception {
            String subject = TestMessages.uniqueSubject("complete header");
            // valid but not as AddMissingDate would write them: no day-of-week, a zone comment; a Message-Id spelled
            // as Apple Mail does, on the client's host name
            String dateField = "Date: 28 Nov 2026 10:00:00 -0500 (EST)";
            String messageIdField = "Message-Id: <" + UUID.randomUUID() + "@mua.example.test>";
            String from = "Alice <" + ALICE + ">";
            String message = "From: " + from + "\r\n"
                + "To: Bob <" + BOB + ">, Carol <" + CAROL_REMOTE + ">\r\n"
                + "Subject: " + subject + "\r\n"
                + dateField + "\r\n"
                + messageIdField + "\r\n"
                + "MIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=us-ascii\r\n"
                + "\r\n"
                + TestMessages.body(subject);

            submit(List.of(BOB, CAROL_REMOTE), message);

            byte[] relayed = awaitRelayed(subject, CAROL_REMOTE).getData();
            byte[] stored;
            try (ImapTestClient imap = james.server().imap(BOB)) {
                stored = imap.awaitRawMessage(subject);
            }
            for (byte[] copy : List.of(relayed, stored)) {
                assertThat(headerFields(copy, "Date")).containsExactly(dateField);
                assertThat(headerFields(copy, "Message-ID")).containsExactly(messageIdField);
                assertThat(headerFields(copy, "From")).containsExactly("From: " + from);
                assertThat(headerFields(copy, "Sender")).isEmpty();
                verifiedSignature(copy);
            }
        }
    }

    @Nested
    class PortTwentyFive {
        @Test
        void mailRelayedInOnPort25ShouldNeitherBeCompletedNorRewritten() throws Exception {
            String subject = TestMessages.uniqueSubject("unfinished on 25");
            String toField = "To: bob@sales, Bob <" + BOB + ">";
            String originatingIpField = "X-Originating-IP: [192.0.2.25]";
            String fromField = "From: Carol <" + CAROL_REMOTE + ">";
            String message = fromField + "\r\n"
                + toField + "\r\n"
                + "Subject: " + subject + "\r\n"
                + originatingIpField + "\r\n"
                + "MIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=us-ascii\r\n"
                + "\r\n"
                + TestMessages.body(subject);
            try (SmtpTestClient smtp = james.server().connect(Listener.MX)) {
                smtp.ehlo();
                assertThat(smtp.mailFrom(CAROL_REMOTE).line()).isEqualTo(senderOk(CAROL_REMOTE));
                assertThat(smtp.rcptTo(BOB).line()).isEqualTo(recipientOk(BOB));
                assertThat(smtp.data(message).line()).isEqualTo(MESSAGE_ACCEPTED);
            }

            byte[] stored;
            try (ImapTestClient imap = james.server().imap(BOB)) {
                stored = imap.awaitRawMessage(subject);
            }
            // Nothing of ours ran: what James stored is its trace fields (Return-Path, Delivered-To, and a Received field
            // naming the client as it is: reverse name, EHLO name, address) above the message exactly as sent. In
            // particular no Date and no Message-ID: neither ours nor JavaMail's, as no mailet on the port-25 path edits
            // the header (James's saveChanges, which would add both, never runs for it in the shipped configuration).
            String text = new String(stored, StandardCharsets.UTF_8);
            Matcher trace = PORT_25_TRACE.matcher(text);
            assertThat(trace.lookingAt()).as("James's trace fields on top of the message:%n%s", text).isTrue();
            assertThat(text.substring(trace.end())).isEqualTo(message);

            assertThat(headerFields(stored, "To")).containsExactly(toField);
            assertThat(headerFields(stored, "X-Originating-IP")).containsExactly(originatingIpField);
            assertThat(headerFields(stored, "Received")).hasSize(1);
            assertThat(headerFields(stored, "Date")).isEmpty();
            assertThat(headerFields(stored, "Message-ID")).isEmpty();
            assertThat(headerFields(stored, "Sender")).isEmpty();
            assertThat(headerFields(stored, "DKIM-Signature")).isEmpty();
        }
    }

    // ------------------------------------------------------------------------------------------------ assertions

    /** What every completed copy of an unfinished message carries, whatever the way it took. */
    private static void assertCompleted(byte[] message, Window window, String from, Optional<String> senderField) throws Exception {
        List<String> dates = headerFields(message, "Date");
        assertThat(dates).hasSize(1);
        Matcher date = COMPLETED_DATE_FIELD.matcher(dates.get(0));
        assertThat(date.matches()).as("RFC 5322 Date field: %s", dates.get(0)).isTrue();
        // RFC_1123_DATE_TIME also checks that the day-of-week is that of the date
        Instant dated = OffsetDateTime.parse(date.group(1), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        assertThat(dated).as("the Date (to the second) against the submission's start and end")
            .isBetween(window.start.truncatedTo(ChronoUnit.SECONDS), window.end);

        List<String> messageIds = headerFields(message, "Message-ID");
        assertThat(messageIds).hasSize(1);
        Matcher messageId = COMPLETED_MESSAGE_ID_FIELD.matcher(messageIds.get(0));
        assertThat(messageId.matches()).as("Message-ID on the sender's domain: %s", messageIds.get(0)).isTrue();
        for (String hostName : machineHostNames()) {
            // a label of the msg-id (its parts between '<', '.', '@' and '>'), not a substring: the host name of
            // this machine may be as short as two letters, which a random base32hex part can hold by chance
            assertThat(messageId.group(1).toLowerCase(Locale.ROOT))
                .as("Message-ID %s against the host name %s", messageId.group(1), hostName)
                .doesNotContainPattern("[<.@]" + Pattern.quote(hostName.toLowerCase(Locale.ROOT)) + "[.@>]");
        }

        assertThat(headerFields(message, "From")).containsExactly("From: " + from);
        assertThat(headerFields(message, "To")).containsExactly(QUALIFIED_TO_FIELD);
        assertThat(headerFields(message, "Sender")).isEqualTo(senderField.map(List::of).orElse(List.of()));
        assertThat(headerFields(message, "Bcc")).isEmpty();
        assertThat(headerFields(message, "X-Originating-IP")).isEmpty();

        SignatureRecord signature = verifiedSignature(message);
        assertThat(signature.getDToken().toString()).isEqualTo(DOMAIN);
        assertThat(signature.getSelector().toString()).isEqualTo(SELECTOR);
    }

    /**
     * The Received fields James wrote: exactly one (the submission's), from the trace token, with neither the client's
     * address nor its reverse name (localhost) nor its EHLO name.
     */
    private static void assertJamesReceivedFieldHidesTheClient(List<String> received) {
        assertThat(received).hasSize(1);
        assertThat(received.get(0)).startsWith("Received: from msa-client-");
        assertThat(received).allSatisfy(field -> assertThat(field)
            .doesNotContain(CLIENT_ADDRESS)
            .doesNotContain("localhost")
            .doesNotContain(CLIENT_EHLO_NAME));
    }

    private static SignatureRecord verifiedSignature(byte[] message) {
        List<SignatureRecord> verified = DkimVerification.verify(message, SELECTOR, DOMAIN, DkimVerification.testKeyRecordValue());
        assertThat(verified).hasSize(1);
        return verified.get(0);
    }

    /**
     * The names JavaMail would put in a Message-ID of its own ({@code InetAddress.getLocalHost()}), and the one the
     * hostname command prints.
     */
    private static Set<String> machineHostNames() throws IOException, InterruptedException {
        Set<String> names = new LinkedHashSet<>();
        names.add("localhost");
        InetAddress local = InetAddress.getLocalHost();
        names.add(local.getHostName());
        names.add(local.getCanonicalHostName());
        Process hostname = new ProcessBuilder("hostname").redirectErrorStream(true).start();
        String printed = new String(hostname.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(hostname.waitFor(10, TimeUnit.SECONDS)).as("hostname ended").isTrue();
        assertThat(hostname.exitValue()).as("hostname: %s", printed).isZero();
        names.add(printed);
        assertThat(names).doesNotContain("");
        return names;
    }

    // ------------------------------------------------------------------------------------------------ helpers

    /** When a submission began (before connecting) and ended (after the reply to the end of DATA). */
    private static final class Window {
        final Instant start;
        final Instant end;

        Window(Instant start, Instant end) {
            this.start = start;
            this.end = end;
        }
    }

    /** No Date, no Message-ID, a single-label domain in To, a Bcc field and X-Originating-IP, as a careless MUA writes. */
    private static String unfinishedMessage(String from, String subject) {
        return "From: " + from + "\r\n"
            + "To: " + UNFINISHED_TO + "\r\n"
            + "Bcc: Dave <" + DAVE_REMOTE + ">\r\n"
            + "Subject: " + subject + "\r\n"
            + "X-Originating-IP: [" + CLIENT_ADDRESS + "]\r\n"
            + "MIME-Version: 1.0\r\n"
            + "Content-Type: text/plain; charset=us-ascii\r\n"
            + "\r\n"
            + TestMessages.body(subject);
    }

    /** Alice submits on 587 (STARTTLS, AUTH PLAIN) with MAIL FROM herself. */
    private static Window submit(List<String> recipients, String message) throws IOException {
        Instant start = Instant.now();
        try (SmtpTestClient smtp = james.server().connect(Listener.SUBMISSION).authenticated(ALICE, PASSWORD)) {
            assertThat(smtp.mailFrom(ALICE).line()).isEqualTo(senderOk(ALICE));
            for (String recipient : recipients) {
                assertThat(smtp.rcptTo(recipient).line()).isEqualTo(recipientOk(recipient));
            }
            assertThat(smtp.data(message).line()).isEqualTo(MESSAGE_ACCEPTED);
        }
        return new Window(start, Instant.now());
    }

    private static WiserMessage awaitRelayed(String subject, String recipient) {
        return Awaitility.await("message '" + subject + "' relayed to " + recipient)
            .atMost(DELIVERY_TIMEOUT)
            .pollInterval(Duration.ofMillis(100))
            .until(() -> james.server().relayedMessages().stream()
                .filter(message -> message.getEnvelopeReceiver().equals(recipient))
                .filter(message -> headerFields(message.getData(), "Subject").contains("Subject: " + subject))
                .findFirst(), Optional::isPresent)
            .orElseThrow();
    }

    /** The Received fields below the Wiser's own (the topmost, written when James handed the message over). */
    private static List<String> jamesReceivedFields(byte[] relayed) {
        List<String> received = headerFields(relayed, "Received");
        assertThat(received).isNotEmpty();
        assertThat(received.get(0)).as("the Wiser's own Received field").contains("by remote.example.com");
        return received.subList(1, received.size());
    }

    /** The fields of that name (case-insensitive), in order, each with its name and its folding as received. */
    private static List<String> headerFields(byte[] message, String name) {
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

    private static String header(byte[] message) {
        String text = new String(message, StandardCharsets.UTF_8);
        int end = text.indexOf("\r\n\r\n");
        return end < 0 ? text : text.substring(0, end);
    }

    private static String body(byte[] message) {
        String text = new String(message, StandardCharsets.UTF_8);
        return text.substring(text.indexOf("\r\n\r\n") + 4);
    }
}
