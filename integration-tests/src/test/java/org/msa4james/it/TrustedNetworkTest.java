package org.msa4james.it;

import static org.msa4james.it.ExpectedReplies.senderOk;
import static org.msa4james.it.ExpectedReplies.recipientOk;
import static org.msa4james.it.ExpectedReplies.MESSAGE_ACCEPTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.msa4james.it.ExpectedReplies.ENCRYPTION_REQUIRED;
import static org.msa4james.it.Fixtures.ALICE;
import static org.msa4james.it.Fixtures.BOB;
import static org.msa4james.it.Fixtures.CAROL_REMOTE;
import static org.msa4james.it.Fixtures.PASSWORD;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.subethamail.wiser.WiserMessage;

/**
 * Rule 2, the trusted-network exception (RFC 6409 4.3 "authorised by other configured means"):
 * with msa.trusted.networks=127.0.0.0/8 a client on the loopback may submit without AUTH.
 */
class TrustedNetworkTest {

    @RegisterExtension
    static MsaJamesExtension james = MsaJamesExtension.withProperties(properties -> properties
        .property("msa.trusted.networks", "127.0.0.0/8"));

    @ParameterizedTest
    @EnumSource(value = Listener.class, names = {"SUBMISSION", "SUBMISSIONS"})
    void mailShouldBeAcceptedWithoutAuthenticationFromATrustedNetwork(Listener listener) throws Exception {
        try (SmtpTestClient smtp = james.server().connect(listener)) {
            smtp.ehloUnderTls();

            assertThat(smtp.mailFrom(ALICE).line()).isEqualTo(senderOk(ALICE));
            assertThat(smtp.rcptTo(BOB).line()).isEqualTo(recipientOk(BOB));
        }
    }

    @Test
    void submissionFromATrustedNetworkShouldBeDelivered() throws Exception {
        String subject = TestMessages.uniqueSubject("trusted network");
        try (SmtpTestClient smtp = james.server().connect(Listener.SUBMISSION)) {
            smtp.ehloUnderTls();
            assertThat(smtp.mailFrom(ALICE).line()).isEqualTo(senderOk(ALICE));
            assertThat(smtp.rcptTo(BOB).line()).isEqualTo(recipientOk(BOB));
            assertThat(smtp.data(TestMessages.message(ALICE, BOB, subject)).line()).isEqualTo(MESSAGE_ACCEPTED);
        }

        try (ImapTestClient imap = james.server().imap(BOB)) {
            assertThat(imap.awaitMessage(subject).rawBody())
                .isEqualTo(TestMessages.body(subject).getBytes(StandardCharsets.US_ASCII));
        }
    }

    /**
     * A trusted network is "authorised by other configured means" (RFC 6409 4.3): its clients submit
     * like authenticated ones, to remote domains too (the shipped smtpserver.xml: "anything on such a
     * network can send as anyone").
     */
    @ParameterizedTest
    @EnumSource(value = Listener.class, names = {"SUBMISSION", "SUBMISSIONS"})
    void remoteRecipientShouldBeAcceptedAndRelayedFromATrustedNetwork(Listener listener) throws Exception {
        String subject = TestMessages.uniqueSubject("trusted network to remote");
        try (SmtpTestClient smtp = james.server().connect(listener)) {
            smtp.ehloUnderTls();
            assertThat(smtp.mailFrom(ALICE).line()).isEqualTo(senderOk(ALICE));
            assertThat(smtp.rcptTo(CAROL_REMOTE).line()).isEqualTo(recipientOk(CAROL_REMOTE));
            assertThat(smtp.data(TestMessages.message(ALICE, CAROL_REMOTE, subject)).line()).isEqualTo(MESSAGE_ACCEPTED);
        }

        Awaitility.await("relayed message '" + subject + "'")
            .atMost(Duration.ofSeconds(20))
            .pollInterval(Duration.ofMillis(100))
            .untilAsserted(() -> assertThat(james.server().relayedMessages())
                .extracting(WiserMessage::getEnvelopeReceiver)
                .containsExactly(CAROL_REMOTE));
    }

    @Test
    void authShouldStillRequireTlsFromATrustedNetwork() throws Exception {
        try (SmtpTestClient smtp = james.server().connect(Listener.SUBMISSION)) {
            smtp.ehlo();

            assertThat(smtp.authPlain(ALICE, PASSWORD).line()).isEqualTo(ENCRYPTION_REQUIRED);
        }
    }
}
