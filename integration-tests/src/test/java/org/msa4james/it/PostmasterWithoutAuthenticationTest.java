package org.msa4james.it;

import static org.msa4james.it.ExpectedReplies.senderOk;
import static org.msa4james.it.ExpectedReplies.recipientOk;
import static org.msa4james.it.ExpectedReplies.MESSAGE_ACCEPTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.msa4james.it.ExpectedReplies.ONLY_POSTMASTER_WITHOUT_AUTH;
import static org.msa4james.it.Fixtures.ALICE;
import static org.msa4james.it.Fixtures.BOB;
import static org.msa4james.it.Fixtures.CAROL_REMOTE;
import static org.msa4james.it.Fixtures.MALLORY_REMOTE;
import static org.msa4james.it.Fixtures.PASSWORD;
import static org.msa4james.it.Fixtures.POSTMASTER;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Rule 2, the postmaster exception (RFC 6409 6.4), switched on with msa.postmaster.without.auth=true:
 * an unauthenticated client may write to the postmaster of a local domain, and to nobody else.
 */
class PostmasterWithoutAuthenticationTest {

    @RegisterExtension
    static MsaJamesExtension james = MsaJamesExtension.withProperties(properties -> properties
        .property("msa.postmaster.without.auth", "true"));

    @ParameterizedTest
    @EnumSource(value = Listener.class, names = {"SUBMISSION", "SUBMISSIONS"})
    void mailToLocalPostmasterShouldBeAcceptedWithoutAuthentication(Listener listener) throws Exception {
        try (SmtpTestClient smtp = james.server().connect(listener)) {
            smtp.ehloUnderTls();

            assertThat(smtp.mailFrom(MALLORY_REMOTE).line()).isEqualTo(senderOk(MALLORY_REMOTE));
            assertThat(smtp.rcptTo(POSTMASTER).line()).isEqualTo(recipientOk(POSTMASTER));
            assertThat(smtp.data(TestMessages.message(MALLORY_REMOTE, POSTMASTER, TestMessages.uniqueSubject("to postmaster")))
                .line()).isEqualTo(MESSAGE_ACCEPTED);
        }
    }

    @ParameterizedTest
    @EnumSource(value = Listener.class, names = {"SUBMISSION", "SUBMISSIONS"})
    void otherRecipientsShouldBeRefusedWithoutAuthentication(Listener listener) throws Exception {
        try (SmtpTestClient smtp = james.server().connect(listener)) {
            smtp.ehloUnderTls();
            assertThat(smtp.mailFrom(MALLORY_REMOTE).line()).isEqualTo(senderOk(MALLORY_REMOTE));

            assertThat(smtp.rcptTo(BOB).line()).isEqualTo(ONLY_POSTMASTER_WITHOUT_AUTH);
            assertThat(smtp.rcptTo(CAROL_REMOTE).line()).isEqualTo(ONLY_POSTMASTER_WITHOUT_AUTH);
            assertThat(smtp.rcptTo(POSTMASTER).line()).isEqualTo(recipientOk(POSTMASTER));
        }
    }

    @Test
    void postmasterOfARemoteDomainShouldBeRefusedWithoutAuthentication() throws Exception {
        try (SmtpTestClient smtp = james.server().connect(Listener.SUBMISSION)) {
            smtp.ehloUnderTls();
            assertThat(smtp.mailFrom(MALLORY_REMOTE).line()).isEqualTo(senderOk(MALLORY_REMOTE));

            assertThat(smtp.rcptTo("postmaster@example.com").line()).isEqualTo(ONLY_POSTMASTER_WITHOUT_AUTH);
        }
    }

    @Test
    void authenticatedSessionShouldReachEveryRecipient() throws Exception {
        try (SmtpTestClient smtp = james.server().connect(Listener.SUBMISSION).authenticated(ALICE, PASSWORD)) {
            assertThat(smtp.mailFrom(ALICE).line()).isEqualTo(senderOk(ALICE));

            assertThat(smtp.rcptTo(BOB).line()).isEqualTo(recipientOk(BOB));
            assertThat(smtp.rcptTo(CAROL_REMOTE).line()).isEqualTo(recipientOk(CAROL_REMOTE));
            assertThat(smtp.rcptTo(POSTMASTER).line()).isEqualTo(recipientOk(POSTMASTER));
        }
    }
}
