package org.msa4james.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.msa4james.it.ExpectedReplies.MESSAGE_ACCEPTED;
import static org.msa4james.it.ExpectedReplies.recipientOk;
import static org.msa4james.it.ExpectedReplies.senderOk;
import static org.msa4james.it.Fixtures.ALICE;
import static org.msa4james.it.Fixtures.BOB;
import static org.msa4james.it.Fixtures.BOB_AT_SALES;
import static org.msa4james.it.Fixtures.CAROL_REMOTE;
import static org.msa4james.it.Fixtures.DAVE_REMOTE;
import static org.msa4james.it.Fixtures.DOMAIN;
import static org.msa4james.it.Fixtures.PASSWORD;
import static org.msa4james.it.Listener.MX;
import static org.msa4james.it.Listener.SUBMISSION;
import static org.msa4james.it.Listener.SUBMISSIONS;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Collectors;

import javax.mail.Folder;
import javax.mail.Message;
import javax.mail.Session;
import javax.mail.Store;

import org.apache.james.jdkim.api.SignatureRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.subethamail.wiser.WiserMessage;

/**
 * RFC 6409 8.5 through a real James on the shipped configuration: a submission whose envelope sender is in the default
 * domain leaves with a DKIM signature (James's DKIMSign, test key {@code dkim/example.test.pem} on the class path,
 * selector {@value #SELECTOR}) that James's jdkim verifier accepts over the exact bytes received by the next hop, or read
 * back over IMAP after local delivery. Other mail is not signed.
 */
class DkimSigningTest {
    /** Not the default selector: proves the shipped template takes it from msa.dkim.selector. */
    private static final String SELECTOR = "it2026";
    private static final List<String> SIGNED_HEADER_FIELDS = List.of("from", "from", "sender", "reply-to", "subject", "date",
        "message-id", "to", "cc", "mime-version", "content-type", "content-transfer-encoding", "in-reply-to", "references");
    private static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(20);

    @RegisterExtension
    static MsaJamesExtension james = MsaJamesExtension.withProperties(properties -> properties.property("msa.dkim.selector", SELECTOR));

    @Nested
    class RelayedSubmissions {
        @Test
        void submissionShouldLeaveWithASignatureOfTheDefaultDomainThatVerifies() throws Exception {
            String subject = TestMessages.uniqueSubject("dkim 587");
            submit(SUBMISSION, ALICE, List.of(CAROL_REMOTE), TestMessages.message(ALICE, CAROL_REMOTE, subject));

            byte[] relayed = awaitRelayed(subject, CAROL_REMOTE).getData();

            assertThat(headerFields(relayed, "DKIM-Signature")).hasSize(1);
            SignatureRecord signature = verifiedSignature(relayed);
            assertThat(signature.getDToken().toString()).isEqualTo(DOMAIN);
            assertThat(signature.getSelector().toString()).isEqualTo(SELECTOR);
            assertThat(signature.getHeaders()).extracting(CharSequence::toString).containsExactlyElementsOf(SIGNED_HEADER_FIELDS);
            assertThat(signature.getHashKeyType().toString()).isEqualTo("rsa");
            assertThat(signature.getHashMethod().toString()).isEqualTo("sha256");
            assertThat(signature.getHeaderCanonicalisationMethod()).isEqualTo("relaxed");
            assertThat(signature.getBodyCanonicalisationMethod()).isEqualTo("relaxed");
            assertThat(body(relayed)).isEqualTo(TestMessages.body(subject));
        }

        @Test
        void submissionOverImplicitTlsShouldBeSignedToo() throws Exception {
            String subject = TestMessages.uniqueSubject("dkim 465");
            submit(SUBMISSIONS, ALICE, List.of(CAROL_REMOTE), TestMessages.message(ALICE, CAROL_REMOTE, subject));

            verifiedSignature(awaitRelayed(subject, CAROL_REMOTE).getData());
        }

        @Test
        void bccShouldBeRemovedBeforeSigning() throws Exception {
            String subject = TestMessages.uniqueSubject("dkim bcc");
            String message = "From: " + ALICE + "\r\n"
                + "To: " + CAROL_REMOTE + "\r\n"
                + "Bcc: " + DAVE_REMOTE + "\r\n"
                + "Subject: " + subject + "\r\n"
                + "Date: Sat, 28 Nov 2026 10:00:00 +0000\r\n"
                + "Message-ID: <" + UUID.randomUUID() + "@example.test>\r\n"
                + "MIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=us-ascii\r\n"
                + "\r\n"
                + "Dave is in Bcc.\r\n";
            submit(SUBMISSION, ALICE, List.of(CAROL_REMOTE, DAVE_REMOTE), message);

            for (String recipient : List.of(CAROL_REMOTE, DAVE_REMOTE)) {
                byte[] relayed = awaitRelayed(subject, recipient).getData();

                assertThat(headerFields(relayed, "Bcc")).as("Bcc at %s", recipient).isEmpty();
                verifiedSignature(relayed);
            }
        }

        @Test
        void multipartMessageShouldBeSignedOverItsExactBody() throws Exception {
            String subject = TestMessages.uniqueSubject("dkim multipart");
            String body = ""
                + "This is a multi-part message in MIME format.\r\n"
                + "--=_boundary_42\r\n"
                + "Content-Type: text/plain; charset=us-ascii\r\n"
                + "\r\n"
                + "The report is attached.   \r\n"
                + "--=_boundary_42\r\n"
                + "Content-Type: text/html; charset=us-ascii\r\n"
                + "\r\n"
                + "<p>The report is attached.</p>\r\n"
                + "--=_boundary_42\r\n"
                + "Content-Type: application/pdf; name=\"report.pdf\"\r\n"
                + "Content-Disposition: attachment; filename=\"report.pdf\"\r\n"
                + "Content-Transfer-Encoding: base64\r\n"
                + "\r\n"
                + "JVBERi0xLjQKJcfsj6IKNSAwIG9iago8PC9MZW5ndGggNiAwIFIvRmlsdGVyIC9GbGF0ZURlY29k\r\n"
                + "ZT4+CnN0cmVhbQp4nCvkMlAwUDC1NNUzMVGwMDHUszRSKErlCtfiyuMK5AIAXQ8GCgplbmRzdHJl\r\n"
                + "--=_boundary_42--\r\n";
            String message = "From: Alice <" + ALICE + ">\r\n"
                + "To: Carol <" + CAROL_REMOTE + ">\r\n"
                + "Subject: " + subject + "\r\n"
                + "Date: Sat, 28 Nov 2026 10:00:00 +0000\r\n"
                + "Message-ID: <" + UUID.randomUUID() + "@example.test>\r\n"
                + "MIME-Version: 1.0\r\n"
                + "Content-Type: multipart/mixed;\r\n"
                + "\tboundary=\"=_boundary_42\"\r\n"
                + "\r\n"
                + body;
            submit(SUBMISSION, ALICE, List.of(CAROL_REMOTE), message);

            byte[] relayed = awaitRelayed(subject, CAROL_REMOTE).getData();

            verifiedSignature(relayed);
            assertThat(body(relayed)).isEqualTo(body);
        }

        @Test
        void messageWithoutMimeVersionShouldGetOneThatIsSigned() throws Exception {
            String subject = TestMessages.uniqueSubject("dkim no MIME-Version");
            String message = "From: " + ALICE + "\r\n"
                + "To: " + CAROL_REMOTE + "\r\n"
                + "Subject: " + subject + "\r\n"
                + "Date: Sat, 28 Nov 2026 10:00:00 +0000\r\n"
                + "Message-ID: <" + UUID.randomUUID() + "@example.test>\r\n"
                + "\r\n"
                + "No MIME here.\r\n";
            submit(SUBMISSION, ALICE, List.of(CAROL_REMOTE), message);

            byte[] relayed = awaitRelayed(subject, CAROL_REMOTE).getData();

            assertThat(headerFields(relayed, "MIME-Version")).containsExactly("MIME-Version: 1.0");
            verifiedSignature(relayed);
        }

        @Test
        void mimeVersionWithACommentShouldBeSignedAsItLeaves() throws Exception {
            String subject = TestMessages.uniqueSubject("dkim Apple Mail");
            String message = "Content-Type: text/plain;\r\n"
                + "\tcharset=us-ascii\r\n"
                + "Content-Transfer-Encoding: 7bit\r\n"
                + "Mime-Version: 1.0 (Mac OS X Mail 16.0 \\(3731.700.6\\))\r\n"
                + "Subject: " + subject + "\r\n"
                + "Message-Id: <" + UUID.randomUUID() + "@example.test>\r\n"
                + "Date: Sat, 28 Nov 2026 11:00:00 +0100\r\n"
                + "To: Carol <" + CAROL_REMOTE + ">\r\n"
                + "From: Alice <" + ALICE + ">\r\n"
                + "\r\n"
                + "Sent from my Mac.\r\n";
            submit(SUBMISSION, ALICE, List.of(CAROL_REMOTE), message);

            verifiedSignature(awaitRelayed(subject, CAROL_REMOTE).getData());
        }

        @Test
        void eightBitBodyShouldArriveUnchangedAndVerify() throws Exception {
            String subject = TestMessages.uniqueSubject("dkim 8bit");
            String body = "Grüße aus Köln, ça va ?\r\n";
            String message = "From: " + ALICE + "\r\n"
                + "To: " + CAROL_REMOTE + "\r\n"
                + "Subject: " + subject + "\r\n"
                + "Date: Sat, 28 Nov 2026 10:00:00 +0000\r\n"
                + "Message-ID: <" + UUID.randomUUID() + "@example.test>\r\n"
                + "MIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\n"
                + "Content-Transfer-Encoding: 8bit\r\n"
                + "\r\n"
                + body;
            submit(SUBMISSION, ALICE, List.of(CAROL_REMOTE), message);

            byte[] relayed = awaitRelayed(subject, CAROL_REMOTE).getData();

            verifiedSignature(relayed);
            assertThat(new String(relayed, StandardCharsets.UTF_8)).endsWith("\r\n\r\n" + body);
        }

        @Test
        void foldedHeaderFieldsShouldVerify() throws Exception {
            String subject = TestMessages.uniqueSubject("dkim folded");
            String message = "From: \"Alice Liddell\"\r\n"
                + " <" + ALICE + ">\r\n"
                + "To: Carol <" + CAROL_REMOTE + ">,\r\n"
                + "\tDave <" + DAVE_REMOTE + ">\r\n"
                + "Cc: =?UTF-8?Q?J=C3=BCrgen?= <juergen@example.com>\r\n"
                + "Subject: " + subject + "\r\n"
                + "Date:   Sat, 28 Nov 2026 10:00:00 +0000\r\n"
                + "Message-ID: <" + UUID.randomUUID() + "@example.test>\r\n"
                + "In-Reply-To: <earlier@example.com>\r\n"
                + "References: <first@example.com>\r\n"
                + "\t<earlier@example.com>\r\n"
                + "MIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=us-ascii\r\n"
                + "\r\n"
                + "Folded.\r\n";
            submit(SUBMISSION, ALICE, List.of(CAROL_REMOTE), message);

            verifiedSignature(awaitRelayed(subject, CAROL_REMOTE).getData());
        }

        @Test
        void unfinishedMessageShouldBeSignedAfterItsCompletion() throws Exception {
            String subject = TestMessages.uniqueSubject("dkim unfinished");
            String message = "From: " + ALICE + "\r\n"
                + "To: " + CAROL_REMOTE + "\r\n"
                + "Subject: " + subject + "\r\n"
                + "\r\n"
                + "No Date, no Message-ID.\r\n";
            submit(SUBMISSION, ALICE, List.of(CAROL_REMOTE), message);

            byte[] relayed = awaitRelayed(subject, CAROL_REMOTE).getData();

            assertThat(headerFields(relayed, "Date")).hasSize(1);
            assertThat(headerFields(relayed, "Message-ID")).hasSize(1);
            verifiedSignature(relayed);
        }
    }

    @Nested
    class LocalDelivery {
        @Test
        void submissionToALocalUserShouldVerifyWhenReadBackOverImap() throws Exception {
            String subject = TestMessages.uniqueSubject("dkim local");
            submit(SUBMISSION, ALICE, List.of(BOB), TestMessages.message(ALICE, BOB, subject));

            byte[] stored = rawMessageOverImap(BOB, subject);

            assertThat(headerFields(stored, "Return-Path")).isNotEmpty();
            assertThat(headerFields(stored, "Delivered-To")).isNotEmpty();
            assertThat(headerFields(stored, "DKIM-Signature")).hasSize(1);
            verifiedSignature(stored);
        }
    }

    @Nested
    class UnsignedMail {
        @Test
        void submissionFromAnotherLocalDomainShouldLeaveUnsigned() throws Exception {
            String subject = TestMessages.uniqueSubject("dkim other domain");
            submit(SUBMISSION, BOB_AT_SALES, List.of(CAROL_REMOTE), TestMessages.message(BOB_AT_SALES, CAROL_REMOTE, subject));

            byte[] relayed = awaitRelayed(subject, CAROL_REMOTE).getData();

            assertThat(headerFields(relayed, "DKIM-Signature")).isEmpty();
            assertThat(body(relayed)).isEqualTo(TestMessages.body(subject));
        }

        @Test
        void mailArrivingOnPort25ShouldNotBeSignedEvenFromTheDefaultDomain() throws Exception {
            String subject = TestMessages.uniqueSubject("dkim port 25");
            try (SmtpTestClient smtp = james.server().connect(MX)) {
                smtp.ehlo();
                assertThat(smtp.mailFrom(ALICE).line()).isEqualTo(senderOk(ALICE));
                assertThat(smtp.rcptTo(BOB).line()).isEqualTo(recipientOk(BOB));
                assertThat(smtp.data(TestMessages.message(ALICE, BOB, subject)).line()).isEqualTo(MESSAGE_ACCEPTED);
            }

            byte[] stored = rawMessageOverImap(BOB, subject);

            assertThat(headerFields(stored, "DKIM-Signature")).isEmpty();
        }
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private static void submit(Listener listener, String user, List<String> recipients, String message) throws Exception {
        try (SmtpTestClient smtp = james.server().connect(listener).authenticated(user, PASSWORD)) {
            assertThat(smtp.mailFrom(user).line()).isEqualTo(senderOk(user));
            for (String recipient : recipients) {
                assertThat(smtp.rcptTo(recipient).line()).isEqualTo(recipientOk(recipient));
            }
            assertThat(smtp.data(message).line()).isEqualTo(MESSAGE_ACCEPTED);
        }
    }

    private static SignatureRecord verifiedSignature(byte[] message) {
        List<SignatureRecord> verified = DkimVerification.verify(message, SELECTOR, DOMAIN, DkimVerification.testKeyRecordValue());
        assertThat(verified).hasSize(1);
        return verified.get(0);
    }

    private static WiserMessage awaitRelayed(String subject, String recipient) {
        return Awaitility.await("message '" + subject + "' relayed to " + recipient)
            .atMost(DELIVERY_TIMEOUT)
            .pollInterval(Duration.ofMillis(100))
            .until(() -> relayed(subject, recipient), Optional::isPresent)
            .orElseThrow();
    }

    private static Optional<WiserMessage> relayed(String subject, String recipient) {
        return james.server().relayedMessages().stream()
            .filter(message -> message.getEnvelopeReceiver().equals(recipient))
            .filter(message -> headerFields(message.getData(), "Subject").contains("Subject: " + subject))
            .findFirst();
    }

    /** The whole message as the IMAP server returns it (BODY[]), once delivered: trace fields, header and body. */
    private static byte[] rawMessageOverImap(String user, String subject) throws Exception {
        try (ImapTestClient imap = james.server().imapOverImplicitTls(user)) {
            imap.awaitMessage(subject);
        }
        Properties properties = new Properties();
        properties.setProperty("mail.imaps.ssl.trust", "*");
        properties.setProperty("mail.imaps.ssl.checkserveridentity", "false");
        properties.setProperty("mail.imaps.timeout", "30000");
        Store store = Session.getInstance(properties).getStore("imaps");
        store.connect(MsaJamesServer.LOOPBACK, james.server().imapImplicitTlsPort(), user, PASSWORD);
        try {
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            try {
                for (Message message : inbox.getMessages()) {
                    if (subject.equals(message.getSubject())) {
                        ByteArrayOutputStream raw = new ByteArrayOutputStream();
                        message.writeTo(raw);
                        return raw.toByteArray();
                    }
                }
                throw new AssertionError("no message '" + subject + "' in the INBOX of " + user);
            } finally {
                inbox.close(false);
            }
        } finally {
            store.close();
        }
    }

    /** The header fields of that name (case-insensitive), unfolded lines kept as they are, e.g. "Bcc: dave@example.com". */
    private static List<String> headerFields(byte[] message, String name) {
        String header = new String(message, StandardCharsets.UTF_8);
        int end = header.indexOf("\r\n\r\n");
        header = end < 0 ? header : header.substring(0, end);
        List<String> fields = new ArrayList<>();
        for (String line : header.split("\r\n")) {
            if (!line.isEmpty() && (line.charAt(0) == ' ' || line.charAt(0) == '\t')) {
                if (!fields.isEmpty()) {
                    fields.set(fields.size() - 1, fields.get(fields.size() - 1) + "\r\n" + line);
                }
                continue;
            }
            fields.add(line);
        }
        String prefix = name.toLowerCase(Locale.ROOT) + ":";
        return fields.stream()
            .filter(field -> field.toLowerCase(Locale.ROOT).startsWith(prefix))
            .collect(Collectors.toList());
    }

    private static String body(byte[] message) {
        String text = new String(message, StandardCharsets.UTF_8);
        return text.substring(text.indexOf("\r\n\r\n") + 4);
    }
}
