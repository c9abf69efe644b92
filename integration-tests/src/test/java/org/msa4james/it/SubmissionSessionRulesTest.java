package org.msa4james.it;

import static org.msa4james.it.ExpectedReplies.senderOk;
import static org.msa4james.it.ExpectedReplies.recipientOk;
import static org.msa4james.it.ExpectedReplies.READY_TO_START_TLS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.msa4james.it.ExpectedReplies.ATRN_UNRECOGNIZED;
import static org.msa4james.it.ExpectedReplies.AUTHENTICATION_REQUIRED;
import static org.msa4james.it.ExpectedReplies.AUTHENTICATION_SUCCESSFUL;
import static org.msa4james.it.ExpectedReplies.ENCRYPTION_REQUIRED;
import static org.msa4james.it.ExpectedReplies.ETRN_UNRECOGNIZED;
import static org.msa4james.it.ExpectedReplies.RECIPIENT_SYNTAX_ERROR;
import static org.msa4james.it.ExpectedReplies.SENDER_SYNTAX_ERROR;
import static org.msa4james.it.ExpectedReplies.recipientDomainNotQualified;
import static org.msa4james.it.ExpectedReplies.senderDomainNotQualified;
import static org.msa4james.it.ExpectedReplies.senderNotEntitled;
import static org.msa4james.it.ExpectedReplies.tooManyRecipients;
import static org.msa4james.it.Fixtures.ALICE;
import static org.msa4james.it.Fixtures.ALICE_ALIAS;
import static org.msa4james.it.Fixtures.BOB;
import static org.msa4james.it.Fixtures.CAROL_REMOTE;
import static org.msa4james.it.Fixtures.PASSWORD;
import static org.msa4james.it.Listener.MX;
import static org.msa4james.it.Listener.SUBMISSION;
import static org.msa4james.it.Listener.SUBMISSIONS;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The SMTP session rules of the submission listeners (587 STARTTLS, 465 implicit TLS) with the
 * shipped configuration and its default settings: no trusted network, no postmaster exception,
 * no domain expansion, at most 100 recipients.
 */
class SubmissionSessionRulesTest {

    @RegisterExtension
    static MsaJamesExtension james = MsaJamesExtension.withDefaults();

    private static SmtpTestClient connect(Listener listener) throws Exception {
        return james.server().connect(listener);
    }

    private static SmtpTestClient aliceSession(Listener listener) throws Exception {
        return connect(listener).authenticated(ALICE, PASSWORD);
    }

    /** Rule 1: AUTH only under TLS (RFC 8314 3.3), AUTH announced only where it can succeed. */
    @Nested
    class AuthenticationRequiresTls {

        @Test
        void ehloShouldNotAnnounceAuthBeforeStartTls() throws Exception {
            try (SmtpTestClient smtp = connect(SUBMISSION)) {
                assertThat(smtp.ehlo().ehloKeywords())
                    .contains("STARTTLS")
                    .doesNotContain("AUTH");
            }
        }

        @Test
        void ehloShouldAnnounceAuthAfterStartTls() throws Exception {
            try (SmtpTestClient smtp = connect(SUBMISSION)) {
                SmtpReply ehlo = smtp.ehloUnderTls();
                assertThat(ehlo.ehloKeywords())
                    .contains("AUTH")
                    .doesNotContain("STARTTLS");
                assertThat(ehlo.ehloParameters("AUTH")).contains("PLAIN");
            }
        }

        @Test
        void ehloShouldAnnounceAuthOnImplicitTls() throws Exception {
            try (SmtpTestClient smtp = connect(SUBMISSIONS)) {
                assertThat(smtp.ehlo().ehloKeywords()).contains("AUTH");
            }
        }

        @Test
        void authShouldBeRefusedBeforeStartTlsEvenWithValidCredentials() throws Exception {
            try (SmtpTestClient smtp = connect(SUBMISSION)) {
                smtp.ehlo();

                assertThat(smtp.authPlain(ALICE, PASSWORD).line()).isEqualTo(ENCRYPTION_REQUIRED);
            }
        }

        @Test
        void authShouldBeRefusedBeforeStartTlsWithWrongCredentialsWithTheSameReply() throws Exception {
            try (SmtpTestClient smtp = connect(SUBMISSION)) {
                smtp.ehlo();

                assertThat(smtp.authPlain(ALICE, "wrong-password").line()).isEqualTo(ENCRYPTION_REQUIRED);
            }
        }

        @Test
        void authLoginShouldBeRefusedBeforeStartTlsBeforeAnyCredentialIsSent() throws Exception {
            try (SmtpTestClient smtp = connect(SUBMISSION)) {
                smtp.ehlo();

                assertThat(smtp.command("AUTH LOGIN").line()).isEqualTo(ENCRYPTION_REQUIRED);
            }
        }

        @Test
        void sameAuthShouldSucceedOnceStartTlsIsDone() throws Exception {
            try (SmtpTestClient smtp = connect(SUBMISSION)) {
                smtp.ehlo();
                assertThat(smtp.authPlain(ALICE, PASSWORD).line()).isEqualTo(ENCRYPTION_REQUIRED);

                assertThat(smtp.startTls().line()).isEqualTo(READY_TO_START_TLS);
                assertThat(smtp.ehlo().line()).startsWith("250 ");
                assertThat(smtp.authPlain(ALICE, PASSWORD).line()).isEqualTo(AUTHENTICATION_SUCCESSFUL);
            }
        }

        @ParameterizedTest
        @EnumSource(value = Listener.class, names = {"SUBMISSION", "SUBMISSIONS"})
        void authShouldSucceedUnderTls(Listener listener) throws Exception {
            try (SmtpTestClient smtp = connect(listener)) {
                smtp.ehloUnderTls();

                assertThat(smtp.authPlain(ALICE, PASSWORD).line()).isEqualTo(AUTHENTICATION_SUCCESSFUL);
            }
        }

        @Test
        void authLoginShouldSucceedUnderTls() throws Exception {
            try (SmtpTestClient smtp = connect(SUBMISSION)) {
                smtp.ehloUnderTls();

                assertThat(smtp.authLogin(ALICE, PASSWORD).line()).isEqualTo(AUTHENTICATION_SUCCESSFUL);
            }
        }

        @Test
        void authWithWrongPasswordShouldFailUnderTls() throws Exception {
            try (SmtpTestClient smtp = connect(SUBMISSION)) {
                smtp.ehloUnderTls();

                assertThat(smtp.authPlain(ALICE, "wrong-password").line()).isEqualTo("535 Authentication Failed");
            }
        }

        @Test
        void mxShouldNotAnnounceAuth() throws Exception {
            try (SmtpTestClient smtp = connect(MX)) {
                assertThat(smtp.ehlo().ehloKeywords()).contains("STARTTLS").doesNotContain("AUTH");
                assertThat(smtp.startTls().line()).isEqualTo(READY_TO_START_TLS);
                assertThat(smtp.ehlo().ehloKeywords()).doesNotContain("AUTH");
            }
        }

        @Test
        void mxShouldRefuseAuthEvenOverTls() throws Exception {
            try (SmtpTestClient smtp = connect(MX)) {
                smtp.ehloUnderTls();

                assertThat(smtp.authPlain(ALICE, PASSWORD).line()).isEqualTo("504 Unrecognized Authentication Type");
                assertThat(smtp.command("AUTH LOGIN").line()).isEqualTo("504 Unrecognized Authentication Type");
                assertThat(smtp.mailFrom(ALICE).line()).isEqualTo("250 2.1.0 Sender <alice@example.test> OK");
                assertThat(smtp.rcptTo("carol@example.com").line()).isEqualTo("550 5.7.1 Requested action not taken: relaying denied");
            }
        }

        @Test
        void mxShouldRefuseAuthInClearText() throws Exception {
            try (SmtpTestClient smtp = connect(MX)) {
                smtp.ehlo();

                assertThat(smtp.authPlain(ALICE, PASSWORD).line()).isEqualTo(ENCRYPTION_REQUIRED);
            }
        }
    }

    /** Rule 2: MAIL only in an authenticated session (RFC 6409 4.3). */
    @Nested
    class AuthenticationRequiredForMail {

        @ParameterizedTest
        @EnumSource(value = Listener.class, names = {"SUBMISSION", "SUBMISSIONS"})
        void mailShouldBeRefusedWhenNotAuthenticated(Listener listener) throws Exception {
            try (SmtpTestClient smtp = connect(listener)) {
                smtp.ehloUnderTls();

                assertThat(smtp.mailFrom(ALICE).line()).isEqualTo(AUTHENTICATION_REQUIRED);
            }
        }

        @Test
        void mailShouldBeRefusedWhenNotAuthenticatedInClearText() throws Exception {
            try (SmtpTestClient smtp = connect(SUBMISSION)) {
                smtp.ehlo();

                assertThat(smtp.mailFrom(ALICE).line()).isEqualTo(AUTHENTICATION_REQUIRED);
            }
        }

        @ParameterizedTest
        @EnumSource(value = Listener.class, names = {"SUBMISSION", "SUBMISSIONS"})
        void nullSenderShouldBeRefusedWhenNotAuthenticated(Listener listener) throws Exception {
            try (SmtpTestClient smtp = connect(listener)) {
                smtp.ehloUnderTls();

                assertThat(smtp.command("MAIL FROM:<>").line()).isEqualTo(AUTHENTICATION_REQUIRED);
            }
        }

        @ParameterizedTest
        @EnumSource(value = Listener.class, names = {"SUBMISSION", "SUBMISSIONS"})
        void sessionShouldAcceptMailAfterAuthenticatingFollowingARefusedMail(Listener listener) throws Exception {
            try (SmtpTestClient smtp = connect(listener)) {
                smtp.ehloUnderTls();
                assertThat(smtp.mailFrom(ALICE).line()).isEqualTo(AUTHENTICATION_REQUIRED);

                assertThat(smtp.authPlain(ALICE, PASSWORD).line()).isEqualTo(AUTHENTICATION_SUCCESSFUL);
                assertThat(smtp.mailFrom(ALICE).line()).isEqualTo(senderOk(ALICE));
                assertThat(smtp.rcptTo(BOB).line()).isEqualTo(recipientOk(BOB));
            }
        }

        @ParameterizedTest
        @EnumSource(value = Listener.class, names = {"SUBMISSION", "SUBMISSIONS"})
        void mailShouldBeRefusedAfterFailedAuthentication(Listener listener) throws Exception {
            try (SmtpTestClient smtp = connect(listener)) {
                smtp.ehloUnderTls();
                assertThat(smtp.authPlain(ALICE, "wrong-password").line()).isEqualTo("535 Authentication Failed");

                assertThat(smtp.mailFrom(ALICE).line()).isEqualTo(AUTHENTICATION_REQUIRED);
            }
        }

        @ParameterizedTest
        @EnumSource(value = Listener.class, names = {"SUBMISSION", "SUBMISSIONS"})
        void mailShouldBeAcceptedWhenAuthenticated(Listener listener) throws Exception {
            try (SmtpTestClient smtp = aliceSession(listener)) {
                assertThat(smtp.mailFrom(ALICE).line()).isEqualTo(senderOk(ALICE));
            }
        }

        @Test
        void mxShouldAcceptMailWithoutAuthentication() throws Exception {
            try (SmtpTestClient smtp = connect(MX)) {
                smtp.ehlo();

                assertThat(smtp.mailFrom(CAROL_REMOTE).line()).isEqualTo(senderOk(CAROL_REMOTE));
                assertThat(smtp.rcptTo(BOB).line()).isEqualTo(recipientOk(BOB));
            }
        }
    }

    /** Rule 3: the authenticated user may only use her own addresses as sender (RFC 6409 6.1, 3.2). */
    @Nested
    class SenderEntitlement {

        @ParameterizedTest
        @EnumSource(value = Listener.class, names = {"SUBMISSION", "SUBMISSIONS"})
        void mailFromOwnAddressShouldBeAccepted(Listener listener) throws Exception {
            try (SmtpTestClient smtp = aliceSession(listener)) {
                assertThat(smtp.mailFrom(ALICE).line()).isEqualTo(senderOk(ALICE));
            }
        }

        @ParameterizedTest
        @EnumSource(value = Listener.class, names = {"SUBMISSION", "SUBMISSIONS"})
        void mailFromOwnAliasShouldBeAccepted(Listener listener) throws Exception {
            try (SmtpTestClient smtp = aliceSession(listener)) {
                assertThat(smtp.mailFrom(ALICE_ALIAS).line()).isEqualTo(senderOk(ALICE_ALIAS));
            }
        }

        @ParameterizedTest
        @EnumSource(value = Listener.class, names = {"SUBMISSION", "SUBMISSIONS"})
        void mailFromAnotherUsersAddressShouldBeRefused(Listener listener) throws Exception {
            try (SmtpTestClient smtp = aliceSession(listener)) {
                assertThat(smtp.mailFrom(BOB).line()).isEqualTo(senderNotEntitled(BOB, ALICE));
            }
        }

        @Test
        void mailFromAnAddressOfAnotherDomainShouldBeRefused() throws Exception {
            try (SmtpTestClient smtp = aliceSession(SUBMISSION)) {
                assertThat(smtp.mailFrom(CAROL_REMOTE).line()).isEqualTo(senderNotEntitled(CAROL_REMOTE, ALICE));
            }
        }

        @ParameterizedTest
        @EnumSource(value = Listener.class, names = {"SUBMISSION", "SUBMISSIONS"})
        void mailFromNullSenderShouldBeAccepted(Listener listener) throws Exception {
            try (SmtpTestClient smtp = aliceSession(listener)) {
                assertThat(smtp.command("MAIL FROM:<>").line()).isEqualTo(senderOk(""));
                assertThat(smtp.rcptTo(BOB).line()).isEqualTo(recipientOk(BOB));
            }
        }

        @Test
        void sessionShouldAcceptOwnAddressAfterARefusedSender() throws Exception {
            try (SmtpTestClient smtp = aliceSession(SUBMISSION)) {
                assertThat(smtp.mailFrom(BOB).line()).isEqualTo(senderNotEntitled(BOB, ALICE));

                assertThat(smtp.mailFrom(ALICE).line()).isEqualTo(senderOk(ALICE));
            }
        }
    }

    /** Rule 4: envelope syntax (RFC 6409 5.1) and fully qualified envelope domains (4.2), without expansion. */
    @Nested
    class EnvelopeQualification {

        @ParameterizedTest
        @ValueSource(strings = {"RCPT TO:<a b@example.com>", "RCPT TO:<user@@example.com>"})
        void rcptWithInvalidAddressShouldBeRefused(String command) throws Exception {
            try (SmtpTestClient smtp = aliceSession(SUBMISSION)) {
                assertThat(smtp.mailFrom(ALICE).line()).isEqualTo(senderOk(ALICE));

                assertThat(smtp.command(command).line()).isEqualTo(RECIPIENT_SYNTAX_ERROR);
            }
        }

        @ParameterizedTest
        @ValueSource(strings = {"MAIL FROM:<a b@example.test>", "MAIL FROM:<alice@@example.test>"})
        void mailWithInvalidAddressShouldBeRefused(String command) throws Exception {
            try (SmtpTestClient smtp = aliceSession(SUBMISSION)) {
                assertThat(smtp.command(command).line()).isEqualTo(SENDER_SYNTAX_ERROR);
            }
        }

        @ParameterizedTest
        @EnumSource(value = Listener.class, names = {"SUBMISSION", "SUBMISSIONS"})
        void rcptToIncompleteMultiLabelDomainShouldBeRefused(Listener listener) throws Exception {
            try (SmtpTestClient smtp = aliceSession(listener)) {
                assertThat(smtp.mailFrom(ALICE).line()).isEqualTo(senderOk(ALICE));

                assertThat(smtp.rcptTo("bob@squeaky.sales").line()).isEqualTo(recipientDomainNotQualified("squeaky.sales"));
            }
        }

        @Test
        void mailFromIncompleteMultiLabelDomainShouldBeRefused() throws Exception {
            try (SmtpTestClient smtp = aliceSession(SUBMISSION)) {
                assertThat(smtp.mailFrom("alice@squeaky.sales").line()).isEqualTo(senderDomainNotQualified("squeaky.sales"));
            }
        }

        @Test
        void rcptToSingleLabelDomainShouldBeRefusedWithoutExpansion() throws Exception {
            try (SmtpTestClient smtp = aliceSession(SUBMISSION)) {
                assertThat(smtp.mailFrom(ALICE).line()).isEqualTo(senderOk(ALICE));

                assertThat(smtp.rcptTo("bob@sales").line()).isEqualTo(recipientDomainNotQualified("sales"));
            }
        }

        @Test
        void mailFromSingleLabelDomainShouldBeRefusedWithoutExpansion() throws Exception {
            try (SmtpTestClient smtp = aliceSession(SUBMISSION)) {
                assertThat(smtp.mailFrom("alice@sales").line()).isEqualTo(senderDomainNotQualified("sales"));
            }
        }

        /** James echoes an address literal without its brackets. */
        @ParameterizedTest
        @CsvSource({BOB + "," + BOB, "bob@[127.0.0.1],bob@127.0.0.1", CAROL_REMOTE + "," + CAROL_REMOTE})
        void rcptToQualifiedDomainShouldBeAccepted(String recipient, String echoed) throws Exception {
            try (SmtpTestClient smtp = aliceSession(SUBMISSION)) {
                assertThat(smtp.mailFrom(ALICE).line()).isEqualTo(senderOk(ALICE));

                assertThat(smtp.rcptTo(recipient).line()).isEqualTo(recipientOk(echoed));
            }
        }

        @Test
        void sessionShouldGoOnAfterARefusedRecipient() throws Exception {
            try (SmtpTestClient smtp = aliceSession(SUBMISSION)) {
                assertThat(smtp.mailFrom(ALICE).line()).isEqualTo(senderOk(ALICE));
                assertThat(smtp.rcptTo("bob@squeaky.sales").line()).isEqualTo(recipientDomainNotQualified("squeaky.sales"));

                assertThat(smtp.rcptTo(BOB).line()).isEqualTo(recipientOk(BOB));
            }
        }
    }

    /** Rule 5 with the default limit (msa.max.recipients=100). */
    @Nested
    class DefaultRecipientLimit {

        @Test
        void hundredAndFirstRecipientShouldBeRefused() throws Exception {
            try (SmtpTestClient smtp = aliceSession(SUBMISSION)) {
                assertThat(smtp.mailFrom(ALICE).line()).isEqualTo(senderOk(ALICE));
                for (int i = 1; i <= 100; i++) {
                    assertThat(smtp.rcptTo("r" + i + "@example.com").line()).as("recipient %d", i).isEqualTo(recipientOk("r" + i + "@example.com"));
                }

                assertThat(smtp.rcptTo("r101@example.com").line()).isEqualTo(tooManyRecipients(100));
            }
        }
    }

    /** Rule 6: no ETRN/ATRN (RFC 6409 7); the extensions a submission server should offer. */
    @Nested
    class ServiceExtensions {

        @ParameterizedTest
        @EnumSource(Listener.class)
        void ehloShouldNotOfferEtrnNorAtrn(Listener listener) throws Exception {
            try (SmtpTestClient smtp = connect(listener)) {
                assertThat(smtp.ehlo().ehloKeywords()).doesNotContain("ETRN", "ATRN");
                assertThat(smtp.ehloUnderTls().ehloKeywords()).doesNotContain("ETRN", "ATRN");
            }
        }

        @ParameterizedTest
        @EnumSource(value = Listener.class, names = {"SUBMISSION", "SUBMISSIONS"})
        void ehloShouldNotOfferEtrnNorAtrnToAnAuthenticatedUser(Listener listener) throws Exception {
            try (SmtpTestClient smtp = aliceSession(listener)) {
                assertThat(smtp.ehlo().ehloKeywords()).doesNotContain("ETRN", "ATRN");
            }
        }

        @ParameterizedTest
        @EnumSource(value = Listener.class, names = {"SUBMISSION", "SUBMISSIONS"})
        void etrnShouldBeAnsweredWithAnError(Listener listener) throws Exception {
            try (SmtpTestClient smtp = aliceSession(listener)) {
                assertThat(smtp.command("ETRN example.test").line()).isEqualTo(ETRN_UNRECOGNIZED);
            }
        }

        @ParameterizedTest
        @EnumSource(value = Listener.class, names = {"SUBMISSION", "SUBMISSIONS"})
        void atrnShouldBeAnsweredWithAnError(Listener listener) throws Exception {
            try (SmtpTestClient smtp = aliceSession(listener)) {
                assertThat(smtp.command("ATRN example.test").line()).isEqualTo(ATRN_UNRECOGNIZED);
            }
        }

        @ParameterizedTest
        @EnumSource(value = Listener.class, names = {"SUBMISSION", "SUBMISSIONS"})
        void ehloShouldOfferTheExtensionsRfc6409Recommends(Listener listener) throws Exception {
            try (SmtpTestClient smtp = connect(listener)) {
                assertThat(smtp.ehloUnderTls().ehloKeywords())
                    .contains("AUTH", "PIPELINING", "ENHANCEDSTATUSCODES", "8BITMIME");
            }
        }
    }
}
