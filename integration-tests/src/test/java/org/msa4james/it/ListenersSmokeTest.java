package org.msa4james.it;

import static org.msa4james.it.ExpectedReplies.READY_TO_START_TLS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.msa4james.it.MsaJamesServer.LOOPBACK;

import java.util.List;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * James starts with the shipped configuration, binds every listener it declares, and each one
 * speaks its protocol with the TLS mode of its role.
 */
class ListenersSmokeTest {

    @RegisterExtension
    static MsaJamesExtension james = MsaJamesExtension.withDefaults();

    @Nested
    class Smtp {

        @Test
        void configurationShouldDeclareExactlyTheThreeSmtpListeners() {
            assertThat(james.server().smtpPorts())
                .containsOnlyKeys("smtpserver-mx", "smtpserver-submission", "smtpserver-submissions");
        }

        @ParameterizedTest
        @EnumSource(Listener.class)
        void listenerShouldGreetAndAnswerEhlo(Listener listener) throws Exception {
            try (SmtpTestClient smtp = james.server().connect(listener)) {
                assertThat(smtp.greeting().line()).isEqualTo("220 " + MsaJamesServer.HOSTNAME + " ESMTP ready");
                SmtpReply ehlo = smtp.ehlo();
                assertThat(ehlo.line()).startsWith("250 ");
                assertThat(ehlo.lines()).hasSizeGreaterThan(1);
                assertThat(ehlo.lines().get(0)).startsWith("250-" + MsaJamesServer.HOSTNAME + " Hello ");
            }
        }

        @ParameterizedTest
        @EnumSource(value = Listener.class, names = {"MX", "SUBMISSION"})
        void clearTextListenerShouldOfferStartTls(Listener listener) throws Exception {
            try (SmtpTestClient smtp = james.server().connect(listener)) {
                assertThat(smtp.ehlo().ehloKeywords()).contains("STARTTLS");
                assertThat(smtp.startTls().line()).isEqualTo(READY_TO_START_TLS);
                assertThat(smtp.isTls()).isTrue();
                assertThat(smtp.ehlo().line()).startsWith("250 ");
            }
        }

        @Test
        void submissionsListenerShouldSpeakTlsFromTheFirstByte() throws Exception {
            try (SmtpTestClient smtp = james.server().connect(Listener.SUBMISSIONS)) {
                assertThat(smtp.isTls()).isTrue();
                assertThat(smtp.greeting().line()).isEqualTo("220 " + MsaJamesServer.HOSTNAME + " ESMTP ready");
                assertThat(smtp.ehlo().ehloKeywords()).doesNotContain("STARTTLS");
            }
        }

        @ParameterizedTest
        @EnumSource(Listener.class)
        void tlsShouldBeVersion12OrLater(Listener listener) throws Exception {
            try (SmtpTestClient smtp = james.server().connect(listener)) {
                smtp.ehloUnderTls();
                assertThat(smtp.tlsProtocol()).hasValueSatisfying(protocol -> assertThat(protocol).isIn("TLSv1.2", "TLSv1.3"));
            }
        }
    }

    @Nested
    class Imap {

        @Test
        void imapListenerShouldOfferStartTlsAndDisableLoginBeforeTls() throws Exception {
            try (RawImapSession imap = RawImapSession.connect(LOOPBACK, james.server().imapStartTlsPort())) {
                assertThat(imap.greeting()).startsWith("* OK");
                List<String> capability = imap.command("CAPABILITY");
                assertThat(capability.get(0)).startsWith("* CAPABILITY ").contains(" STARTTLS").contains(" LOGINDISABLED");
                assertThat(capability.get(capability.size() - 1)).startsWith(imap.lastTag() + " OK");
            }
        }

        @Test
        void imapLoginShouldBeRefusedBeforeTls() throws Exception {
            try (RawImapSession imap = RawImapSession.connect(LOOPBACK, james.server().imapStartTlsPort())) {
                List<String> login = imap.command("LOGIN " + Fixtures.BOB + " " + Fixtures.PASSWORD);
                assertThat(login.get(login.size() - 1)).startsWith(imap.lastTag() + " NO");
            }
        }

        @Test
        void imapsListenerShouldSpeakTlsFromTheFirstByteAndAllowLogin() throws Exception {
            try (RawImapSession imap = RawImapSession.connectImplicitTls(LOOPBACK, james.server().imapImplicitTlsPort())) {
                assertThat(imap.greeting()).startsWith("* OK");
                List<String> login = imap.command("LOGIN " + Fixtures.BOB + " " + Fixtures.PASSWORD);
                assertThat(login.get(login.size() - 1)).startsWith(imap.lastTag() + " OK");
            }
        }

        @Test
        void imapClientShouldLogInOverStartTls() throws Exception {
            try (ImapTestClient imap = james.server().imap(Fixtures.BOB)) {
                assertThat(imap.inboxSize()).isGreaterThanOrEqualTo(0);
            }
        }
    }
}
