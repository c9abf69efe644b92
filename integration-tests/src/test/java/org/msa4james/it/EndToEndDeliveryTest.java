package org.msa4james.it;

import static org.msa4james.it.ExpectedReplies.senderOk;
import static org.msa4james.it.ExpectedReplies.recipientOk;
import static org.msa4james.it.ExpectedReplies.MESSAGE_ACCEPTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.msa4james.it.ExpectedReplies.AUTHENTICATION_REQUIRED;
import static org.msa4james.it.ExpectedReplies.RELAYING_DENIED;
import static org.msa4james.it.Fixtures.ALICE;
import static org.msa4james.it.Fixtures.BOB;
import static org.msa4james.it.Fixtures.CAROL_REMOTE;
import static org.msa4james.it.Fixtures.DAVE_REMOTE;
import static org.msa4james.it.Fixtures.MALLORY_REMOTE;
import static org.msa4james.it.Fixtures.PASSWORD;
import static org.msa4james.it.Fixtures.POSTMASTER;
import static org.msa4james.it.Listener.MX;
import static org.msa4james.it.Listener.SUBMISSION;
import static org.msa4james.it.Listener.SUBMISSIONS;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.subethamail.wiser.WiserMessage;

/**
 * Rule 7, end to end over real sockets: what is submitted is delivered (read back over IMAP) or
 * relayed (caught by the Wiser behind the relay gateway); what is not authenticated is not relayed.
 */
class EndToEndDeliveryTest {

    private static final Duration RELAY_TIMEOUT = Duration.ofSeconds(20);

    @RegisterExtension
    static MsaJamesExtension james = MsaJamesExtension.withDefaults();

    @Test
    void submissionOverStartTlsShouldBeDeliveredToALocalMailboxWithTheExactBody() throws Exception {
        String subject = TestMessages.uniqueSubject("587 to local");
        try (SmtpTestClient smtp = james.server().connect(SUBMISSION).authenticated(ALICE, PASSWORD)) {
            assertThat(smtp.isTls()).isTrue();
            assertThat(smtp.mailFrom(ALICE).line()).isEqualTo(senderOk(ALICE));
            assertThat(smtp.rcptTo(BOB).line()).isEqualTo(recipientOk(BOB));
            assertThat(smtp.data(TestMessages.message(ALICE, BOB, subject)).line()).isEqualTo(MESSAGE_ACCEPTED);
        }

        try (ImapTestClient imap = james.server().imap(BOB)) {
            ImapTestClient.ReceivedMessage received = imap.awaitMessage(subject);

            assertThat(new String(received.rawBody(), StandardCharsets.US_ASCII)).isEqualTo(TestMessages.body(subject));
            assertThat(received.rawBody()).isEqualTo(TestMessages.body(subject).getBytes(StandardCharsets.US_ASCII));
        }
    }

    @Test
    void submissionOverImplicitTlsShouldBeRelayedToARemoteDomain() throws Exception {
        String subject = TestMessages.uniqueSubject("465 to remote");
        try (SmtpTestClient smtp = james.server().connect(SUBMISSIONS).authenticated(ALICE, PASSWORD)) {
            assertThat(smtp.mailFrom(ALICE).line()).isEqualTo(senderOk(ALICE));
            assertThat(smtp.rcptTo(CAROL_REMOTE).line()).isEqualTo(recipientOk(CAROL_REMOTE));
            assertThat(smtp.data(TestMessages.message(ALICE, CAROL_REMOTE, subject)).line()).isEqualTo(MESSAGE_ACCEPTED);
        }

        WiserMessage relayed = awaitRelayed(subject);
        assertThat(relayed.getEnvelopeSender()).isEqualTo(ALICE);
        assertThat(relayed.getEnvelopeReceiver()).isEqualTo(CAROL_REMOTE);
        assertThat(new String(relayed.getData(), StandardCharsets.US_ASCII))
            .contains("Subject: " + subject)
            .contains(TestMessages.body(subject));
    }

    @Test
    void unauthenticatedRelayShouldBeRefusedOnEveryListener() throws Exception {
        try (SmtpTestClient smtp = james.server().connect(MX)) {
            smtp.ehlo();
            assertThat(smtp.mailFrom(MALLORY_REMOTE).line()).isEqualTo(senderOk(MALLORY_REMOTE));
            assertThat(smtp.rcptTo(CAROL_REMOTE).line()).isEqualTo(RELAYING_DENIED);
            assertThat(smtp.data(TestMessages.message(MALLORY_REMOTE, CAROL_REMOTE, "relay on 25")).line()).startsWith("503 ");
        }
        try (SmtpTestClient smtp = james.server().connect(MX)) {
            smtp.ehloUnderTls();
            assertThat(smtp.mailFrom(MALLORY_REMOTE).line()).isEqualTo(senderOk(MALLORY_REMOTE));
            assertThat(smtp.rcptTo(CAROL_REMOTE).line()).isEqualTo(RELAYING_DENIED);
        }
        for (Listener submission : List.of(SUBMISSION, SUBMISSIONS)) {
            try (SmtpTestClient smtp = james.server().connect(submission)) {
                smtp.ehloUnderTls();
                assertThat(smtp.mailFrom(MALLORY_REMOTE).line()).as(submission.name()).isEqualTo(AUTHENTICATION_REQUIRED);
                assertThat(smtp.rcptTo(CAROL_REMOTE).line()).as(submission.name()).startsWith("503 ");
            }
        }

        // a sentinel sent afterwards through the same spool and gateway: once it is at the Wiser,
        // anything the refused sessions might have queued before would be there too
        String sentinel = TestMessages.uniqueSubject("sentinel");
        try (SmtpTestClient smtp = james.server().connect(SUBMISSIONS).authenticated(ALICE, PASSWORD)) {
            assertThat(smtp.mailFrom(ALICE).line()).isEqualTo(senderOk(ALICE));
            assertThat(smtp.rcptTo(DAVE_REMOTE).line()).isEqualTo(recipientOk(DAVE_REMOTE));
            assertThat(smtp.data(TestMessages.message(ALICE, DAVE_REMOTE, sentinel)).line()).isEqualTo(MESSAGE_ACCEPTED);
        }
        awaitRelayed(sentinel);
        assertThat(james.server().relayedMessages())
            .extracting(WiserMessage::getEnvelopeReceiver)
            .containsExactly(DAVE_REMOTE);
    }

    @Test
    void mxShouldDeliverToALocalUserWithoutAuthentication() throws Exception {
        String subject = TestMessages.uniqueSubject("25 to local");
        try (SmtpTestClient smtp = james.server().connect(MX)) {
            smtp.ehlo();
            assertThat(smtp.mailFrom(CAROL_REMOTE).line()).isEqualTo(senderOk(CAROL_REMOTE));
            assertThat(smtp.rcptTo(BOB).line()).isEqualTo(recipientOk(BOB));
            assertThat(smtp.data(TestMessages.message(CAROL_REMOTE, BOB, subject)).line()).isEqualTo(MESSAGE_ACCEPTED);
        }

        try (ImapTestClient imap = james.server().imapOverImplicitTls(BOB)) {
            ImapTestClient.ReceivedMessage received = imap.awaitMessage(subject);

            assertThat(received.rawBody()).isEqualTo(TestMessages.body(subject).getBytes(StandardCharsets.US_ASCII));
        }
    }

    /**
     * A header line over James's 8,192-octet line limit on port 25: refused at the end of DATA (James alone would deliver
     * the message without the line); the next message of the session is delivered, and only it.
     */
    @Test
    void mxShouldRefuseAMessageWithALineItCannotReadAndDeliverTheNext() throws Exception {
        String refused = TestMessages.uniqueSubject("25 huge line");
        String next = TestMessages.uniqueSubject("25 after huge line");
        try (SmtpTestClient smtp = james.server().connect(MX)) {
            smtp.ehlo();
            assertThat(smtp.mailFrom(CAROL_REMOTE).line()).isEqualTo(senderOk(CAROL_REMOTE));
            assertThat(smtp.rcptTo(BOB).line()).isEqualTo(recipientOk(BOB));
            String hugeLine = "X-Huge: " + "h".repeat(100 * 1024) + "\r\n";
            assertThat(smtp.data(hugeLine + TestMessages.message(CAROL_REMOTE, BOB, refused)).line())
                .isEqualTo("554 5.6.0 Message refused: a line is longer than 8192 octets and could not be received; "
                    + "RFC 5322 allows 998 per line");

            assertThat(smtp.mailFrom(CAROL_REMOTE).line()).isEqualTo(senderOk(CAROL_REMOTE));
            assertThat(smtp.rcptTo(BOB).line()).isEqualTo(recipientOk(BOB));
            assertThat(smtp.data(TestMessages.message(CAROL_REMOTE, BOB, next)).line()).isEqualTo(MESSAGE_ACCEPTED);
        }

        try (ImapTestClient imap = james.server().imapOverImplicitTls(BOB)) {
            imap.awaitMessage(next);
            assertThat(imap.findBySubject(refused)).isEmpty();
        }
    }

    /** RFC 5321 4.5.1: every SMTP server accepts mail to "postmaster" of the domains it serves, with no user of that name. */
    @Test
    void mxShouldAcceptMailToThePostmasterOfALocalDomain() throws Exception {
        try (SmtpTestClient smtp = james.server().connect(MX)) {
            smtp.ehlo();
            assertThat(smtp.mailFrom(CAROL_REMOTE).line()).isEqualTo(senderOk(CAROL_REMOTE));

            assertThat(smtp.rcptTo(POSTMASTER).line()).isEqualTo(recipientOk(POSTMASTER));
        }
    }

    private static WiserMessage awaitRelayed(String subject) {
        return Awaitility.await("relayed message '" + subject + "'")
            .atMost(RELAY_TIMEOUT)
            .pollInterval(Duration.ofMillis(100))
            .until(() -> relayedWithSubject(subject), found -> !found.isEmpty())
            .get(0);
    }

    private static List<WiserMessage> relayedWithSubject(String subject) {
        return james.server().relayedMessages().stream()
            .filter(message -> new String(message.getData(), StandardCharsets.US_ASCII).contains("Subject: " + subject + "\r\n"))
            .collect(Collectors.toList());
    }
}
