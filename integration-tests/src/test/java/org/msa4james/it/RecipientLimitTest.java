package org.msa4james.it;

import static org.msa4james.it.ExpectedReplies.senderOk;
import static org.msa4james.it.ExpectedReplies.recipientOk;
import static org.msa4james.it.ExpectedReplies.MESSAGE_ACCEPTED;
import static org.msa4james.it.ExpectedReplies.RESET_OK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.msa4james.it.ExpectedReplies.tooManyRecipients;
import static org.msa4james.it.Fixtures.ALICE;
import static org.msa4james.it.Fixtures.BOB;
import static org.msa4james.it.Fixtures.CAROL_REMOTE;
import static org.msa4james.it.Fixtures.DAVE_REMOTE;
import static org.msa4james.it.Fixtures.ERIN_REMOTE;
import static org.msa4james.it.Fixtures.PASSWORD;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.subethamail.wiser.WiserMessage;

/** Rule 5: at most msa.max.recipients (here 3) recipients per message; 452 for the others. */
class RecipientLimitTest {

    @RegisterExtension
    static MsaJamesExtension james = MsaJamesExtension.withProperties(properties -> properties
        .property("msa.max.recipients", "3"));

    @Test
    void fourthRecipientShouldBeRefusedAndTheMessageDeliveredToTheFirstThree() throws Exception {
        String subject = TestMessages.uniqueSubject("three recipients");
        try (SmtpTestClient smtp = james.server().connect(Listener.SUBMISSION).authenticated(ALICE, PASSWORD)) {
            assertThat(smtp.mailFrom(ALICE).line()).isEqualTo(senderOk(ALICE));
            assertThat(smtp.rcptTo(BOB).line()).isEqualTo(recipientOk(BOB));
            assertThat(smtp.rcptTo(CAROL_REMOTE).line()).isEqualTo(recipientOk(CAROL_REMOTE));
            assertThat(smtp.rcptTo(DAVE_REMOTE).line()).isEqualTo(recipientOk(DAVE_REMOTE));

            assertThat(smtp.rcptTo(ERIN_REMOTE).line()).isEqualTo(tooManyRecipients(3));

            assertThat(smtp.data(TestMessages.message(ALICE, BOB, subject)).line()).isEqualTo(MESSAGE_ACCEPTED);
        }

        try (ImapTestClient imap = james.server().imap(BOB)) {
            assertThat(imap.awaitMessage(subject).rawBody())
                .isEqualTo(TestMessages.body(subject).getBytes(StandardCharsets.US_ASCII));
        }
        Awaitility.await("both remote recipients at the Wiser")
            .atMost(Duration.ofSeconds(20))
            .pollInterval(Duration.ofMillis(100))
            .untilAsserted(() -> assertThat(james.server().relayedMessages())
                .extracting(WiserMessage::getEnvelopeReceiver)
                .containsExactlyInAnyOrder(CAROL_REMOTE, DAVE_REMOTE));
    }

    @ParameterizedTest
    @EnumSource(value = Listener.class, names = {"SUBMISSION", "SUBMISSIONS"})
    void limitShouldApplyToEachMessageOfTheSession(Listener listener) throws Exception {
        try (SmtpTestClient smtp = james.server().connect(listener).authenticated(ALICE, PASSWORD)) {
            assertThat(smtp.mailFrom(ALICE).line()).isEqualTo(senderOk(ALICE));
            for (int i = 1; i <= 3; i++) {
                assertThat(smtp.rcptTo("first" + i + "@example.com").line()).isEqualTo(recipientOk("first" + i + "@example.com"));
            }
            assertThat(smtp.rcptTo("first4@example.com").line()).isEqualTo(tooManyRecipients(3));
            assertThat(smtp.command("RSET").line()).isEqualTo(RESET_OK);

            assertThat(smtp.mailFrom(ALICE).line()).isEqualTo(senderOk(ALICE));
            for (int i = 1; i <= 3; i++) {
                assertThat(smtp.rcptTo("second" + i + "@example.com").line()).isEqualTo(recipientOk("second" + i + "@example.com"));
            }
            assertThat(smtp.rcptTo("second4@example.com").line()).isEqualTo(tooManyRecipients(3));
        }
    }
}
