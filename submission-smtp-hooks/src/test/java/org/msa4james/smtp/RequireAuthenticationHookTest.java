package org.msa4james.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.james.core.MailAddress;
import org.apache.james.core.MaybeSender;
import org.apache.james.protocols.api.ProtocolSession.State;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class RequireAuthenticationHookTest {
    private static final String AUTHENTICATION_REQUIRED = "530 5.7.0 Authentication required: log in with AUTH before MAIL";
    private static final String POSTMASTER_ONLY =
        "530 5.7.0 Authentication required: without AUTH only the postmaster of a local domain may be a recipient";

    private InMemoryJamesData data;
    private RequireAuthenticationHook hook;
    private MaybeSender sender;

    @BeforeEach
    void setUp() throws Exception {
        data = new InMemoryJamesData();
        hook = new RequireAuthenticationHook(data.domainList);
        sender = MaybeSender.of(new MailAddress("alice@example.test"));
    }

    private void configure(String... parameters) throws ConfigurationException {
        hook.init(TestSessions.handlerConfiguration(RequireAuthenticationHook.class, parameters));
    }

    @Nested
    class Mail {
        @Test
        void doMailShouldRefuseAnUnauthenticatedSession() throws Exception {
            configure();
            SMTPSession session = TestSessions.from("203.0.113.5").withTls("TLSv1.3").inTransaction(sender);

            HookResult result = hook.doMail(session, sender);

            assertThat(TestSessions.replyLine(result)).isEqualTo(AUTHENTICATION_REQUIRED);
        }

        @Test
        void doMailShouldForgetTheRefusedSenderSoThatTheClientCanTryAgain() throws Exception {
            configure();
            SMTPSession session = TestSessions.from("203.0.113.5").withTls("TLSv1.3").inTransaction(sender);

            hook.doMail(session, sender);

            assertThat(session.getAttachment(SMTPSession.SENDER, State.Transaction)).isEmpty();
        }

        @Test
        void doMailShouldRefuseLoopbackClientsToo() throws Exception {
            configure();
            SMTPSession session = TestSessions.from("127.0.0.1").inTransaction(sender);

            assertThat(hook.doMail(session, sender).getSmtpRetCode()).isEqualTo("530");
        }

        @Test
        void doMailShouldAcceptAnAuthenticatedSession() throws Exception {
            configure();
            SMTPSession session = TestSessions.from("203.0.113.5").withTls("TLSv1.3").authenticatedAs("alice@example.test").inTransaction(sender);

            assertThat(hook.doMail(session, sender)).isEqualTo(HookResult.DECLINED);
            assertThat(session.getAttachment(SMTPSession.SENDER, State.Transaction)).contains(sender);
        }

        @Test
        void doMailShouldAcceptATrustedNetworkWithoutAuthentication() throws Exception {
            configure(RequireAuthenticationHook.TRUSTED_NETWORKS, "192.0.2.0/24, 2001:db8::/32");

            assertThat(hook.doMail(TestSessions.from("192.0.2.44").inTransaction(sender), sender)).isEqualTo(HookResult.DECLINED);
            assertThat(hook.doMail(TestSessions.from("2001:db8::9").inTransaction(sender), sender)).isEqualTo(HookResult.DECLINED);
            assertThat(hook.doMail(TestSessions.from("192.0.3.44").inTransaction(sender), sender).getSmtpRetCode()).isEqualTo("530");
        }

        @Test
        void doMailShouldLetATrustedNetworkRelayAsAnAuthenticatedClientWould() throws Exception {
            configure(RequireAuthenticationHook.TRUSTED_NETWORKS, "192.0.2.0/24");
            SMTPSession trusted = TestSessions.from("192.0.2.44").inTransaction(sender);
            SMTPSession untrusted = TestSessions.from("192.0.3.44").inTransaction(sender);

            hook.doMail(trusted, sender);
            hook.doMail(untrusted, sender);

            assertThat(trusted.isRelayingAllowed()).isTrue();
            assertThat(untrusted.isRelayingAllowed()).isFalse();
        }

        @Test
        void doMailShouldRefuseTheNullSenderWithoutAuthentication() throws Exception {
            configure();
            MaybeSender nullSender = MaybeSender.nullSender();

            assertThat(TestSessions.replyLine(hook.doMail(TestSessions.from("203.0.113.5").inTransaction(nullSender), nullSender)))
                .isEqualTo(AUTHENTICATION_REQUIRED);
        }
    }

    @Nested
    class PostmasterWithoutAuthentication {
        @BeforeEach
        void enable() throws Exception {
            configure(RequireAuthenticationHook.POSTMASTER_WITHOUT_AUTHENTICATION, "true");
        }

        @Test
        void doMailShouldAcceptAnUnauthenticatedSession() {
            assertThat(hook.doMail(TestSessions.from("203.0.113.5").inTransaction(sender), sender)).isEqualTo(HookResult.DECLINED);
        }

        @Test
        void doRcptShouldAcceptThePostmasterOfALocalDomain() throws Exception {
            SMTPSession session = TestSessions.from("203.0.113.5").inTransaction(sender);

            assertThat(hook.doRcpt(session, sender, new MailAddress("postmaster@example.test"))).isEqualTo(HookResult.DECLINED);
            assertThat(hook.doRcpt(session, sender, new MailAddress("PostMaster@Sales.Example.Test"))).isEqualTo(HookResult.DECLINED);
        }

        @Test
        void doRcptShouldRefuseAnyOtherLocalRecipient() throws Exception {
            SMTPSession session = TestSessions.from("203.0.113.5").inTransaction(sender);

            assertThat(TestSessions.replyLine(hook.doRcpt(session, sender, new MailAddress("bob@example.test"))))
                .isEqualTo(POSTMASTER_ONLY);
        }

        @Test
        void doRcptShouldRefuseThePostmasterOfARemoteDomain() throws Exception {
            SMTPSession session = TestSessions.from("203.0.113.5").inTransaction(sender);

            assertThat(TestSessions.replyLine(hook.doRcpt(session, sender, new MailAddress("postmaster@example.com"))))
                .isEqualTo(POSTMASTER_ONLY);
        }

        @Test
        void doRcptShouldAcceptAnyRecipientOfAnAuthenticatedSession() throws Exception {
            SMTPSession session = TestSessions.from("203.0.113.5").withTls("TLSv1.2").authenticatedAs("alice@example.test").inTransaction(sender);

            assertThat(hook.doRcpt(session, sender, new MailAddress("carol@example.com"))).isEqualTo(HookResult.DECLINED);
        }
    }

    @Nested
    class Recipients {
        @Test
        void doRcptShouldHaveNoOpinionWhenAuthenticated() throws Exception {
            configure();
            SMTPSession session = TestSessions.from("203.0.113.5").authenticatedAs("alice@example.test").inTransaction(sender);

            assertThat(hook.doRcpt(session, sender, new MailAddress("carol@example.com"))).isEqualTo(HookResult.DECLINED);
        }

        @Test
        void doRcptShouldHaveNoOpinionForATrustedNetwork() throws Exception {
            configure(RequireAuthenticationHook.TRUSTED_NETWORKS, "192.0.2.0/24");
            SMTPSession session = TestSessions.from("192.0.2.1").inTransaction(sender);

            assertThat(hook.doRcpt(session, sender, new MailAddress("carol@example.com"))).isEqualTo(HookResult.DECLINED);
        }
    }

    @Nested
    class Configuration {
        @Test
        void initShouldRejectAnInvalidTrustedNetwork() {
            assertThatThrownBy(() -> configure(RequireAuthenticationHook.TRUSTED_NETWORKS, "192.0.2.0/24, office.example.com"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("Handler org.msa4james.smtp.RequireAuthenticationHook: parameter 'trustedNetworks' is invalid: "
                    + "'office.example.com' is not an IP address or a CIDR network");
        }

        @Test
        void initShouldRejectAnInvalidBoolean() {
            assertThatThrownBy(() -> configure(RequireAuthenticationHook.POSTMASTER_WITHOUT_AUTHENTICATION, "yes"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("Handler org.msa4james.smtp.RequireAuthenticationHook: parameter 'postmasterWithoutAuthentication' "
                    + "must be true or false, not 'yes'");
        }

        @Test
        void initShouldRejectAnUnknownParameter() {
            assertThatThrownBy(() -> configure("trustedNetwork", "192.0.2.0/24"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("Handler org.msa4james.smtp.RequireAuthenticationHook: parameter 'trustedNetwork' is not a parameter "
                    + "of this handler; known parameters: trustedNetworks, postmasterWithoutAuthentication");
        }

        @Test
        void initShouldAcceptEmptyParameters() throws Exception {
            configure(RequireAuthenticationHook.TRUSTED_NETWORKS, "", RequireAuthenticationHook.POSTMASTER_WITHOUT_AUTHENTICATION, "");

            assertThat(hook.doMail(TestSessions.from("192.0.2.1").inTransaction(sender), sender).getSmtpRetCode()).isEqualTo("530");
        }
    }
}
