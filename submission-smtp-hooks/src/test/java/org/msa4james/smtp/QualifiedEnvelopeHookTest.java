package org.msa4james.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.james.core.Domain;
import org.apache.james.core.MailAddress;
import org.apache.james.core.MaybeSender;
import org.apache.james.domainlist.api.DomainList;
import org.apache.james.domainlist.api.DomainListException;
import org.apache.james.protocols.api.ProtocolSession.State;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.core.RcptCmdHandler;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mockito.Mockito;

class QualifiedEnvelopeHookTest {
    private InMemoryJamesData data;
    private QualifiedEnvelopeHook hook;

    @BeforeEach
    void setUp() throws Exception {
        data = new InMemoryJamesData();
        hook = new QualifiedEnvelopeHook(data.domainList);
        hook.init(TestSessions.handlerConfiguration(QualifiedEnvelopeHook.class,
            QualifiedEnvelopeHook.DOMAIN_EXPANSIONS, "sales=sales.example.test, eng=eng.example.test",
            QualifiedEnvelopeHook.ADDITIONAL_TOP_LEVEL_DOMAINS, "corp"));
    }

    private static SMTPSession sessionWithSender(MaybeSender sender) {
        return TestSessions.from("203.0.113.5").withTls("TLSv1.3").authenticatedAs("alice@example.test").inTransaction(sender);
    }

    @Nested
    class Sender {
        @ParameterizedTest
        @ValueSource(strings = {"alice@example.test", "alice@Sales.Example.Test", "alice@example.com", "alice@[192.0.2.1]", "alice@host.corp"})
        void doMailShouldAcceptAFullyQualifiedDomainUnchanged(String address) throws Exception {
            MaybeSender sender = MaybeSender.of(new MailAddress(address));
            SMTPSession session = sessionWithSender(sender);

            assertThat(hook.doMail(session, sender)).isEqualTo(HookResult.DECLINED);
            assertThat(session.getAttachment(SMTPSession.SENDER, State.Transaction)).contains(sender);
        }

        @Test
        void doMailShouldAcceptTheNullSender() {
            MaybeSender sender = MaybeSender.nullSender();

            assertThat(hook.doMail(sessionWithSender(sender), sender)).isEqualTo(HookResult.DECLINED);
        }

        @Test
        void doMailShouldExpandAConfiguredSingleLabelInTheEnvelope() throws Exception {
            MaybeSender sender = MaybeSender.of(new MailAddress("alice@sales"));
            SMTPSession session = sessionWithSender(sender);

            assertThat(hook.doMail(session, sender)).isEqualTo(HookResult.DECLINED);
            assertThat(session.getAttachment(SMTPSession.SENDER, State.Transaction))
                .contains(MaybeSender.of(new MailAddress("alice@sales.example.test")));
        }

        @Test
        void doMailShouldRefuseASingleLabelWithoutExpansion() throws Exception {
            MaybeSender sender = MaybeSender.of(new MailAddress("alice@marketing"));
            SMTPSession session = sessionWithSender(sender);

            assertThat(TestSessions.replyLine(hook.doMail(session, sender)))
                .isEqualTo("554 5.1.8 Sender address domain 'marketing' is not fully qualified");
            assertThat(session.getAttachment(SMTPSession.SENDER, State.Transaction)).isEmpty();
        }

        @Test
        void doMailShouldRefuseAnIncompleteDomainInsteadOfExpandingIt() throws Exception {
            MaybeSender sender = MaybeSender.of(new MailAddress("alice@squeaky.sales"));

            assertThat(TestSessions.replyLine(hook.doMail(sessionWithSender(sender), sender)))
                .isEqualTo("554 5.1.8 Sender address domain 'squeaky.sales' is not fully qualified");
        }

        @Test
        void doMailShouldAnswerATemporaryFailureWhenTheDomainListFails() throws Exception {
            DomainList failing = Mockito.mock(DomainList.class);
            Mockito.when(failing.containsDomain(Mockito.any(Domain.class))).thenThrow(new DomainListException("backend down"));
            QualifiedEnvelopeHook failingHook = new QualifiedEnvelopeHook(failing);
            failingHook.init(TestSessions.handlerConfiguration(QualifiedEnvelopeHook.class));
            MaybeSender sender = MaybeSender.of(new MailAddress("alice@example.com"));
            SMTPSession session = sessionWithSender(sender);

            assertThat(TestSessions.replyLine(failingHook.doMail(session, sender)))
                .isEqualTo("451 4.3.0 Temporary server failure while checking the address; try again later");
            assertThat(session.getAttachment(SMTPSession.SENDER, State.Transaction)).isEmpty();
        }
    }

    @Nested
    class Recipient {
        private final MaybeSender sender = MaybeSender.nullSender();

        @Test
        void doRcptShouldExpandAConfiguredSingleLabelInTheEnvelope() throws Exception {
            SMTPSession session = sessionWithSender(sender);
            MailAddress recipient = new MailAddress("Bob@ENG");
            session.setAttachment(RcptCmdHandler.CURRENT_RECIPIENT, recipient, State.Transaction);

            assertThat(hook.doRcpt(session, sender, recipient)).isEqualTo(HookResult.DECLINED);
            assertThat(session.getAttachment(RcptCmdHandler.CURRENT_RECIPIENT, State.Transaction))
                .contains(new MailAddress("Bob@eng.example.test"));
        }

        @Test
        void doRcptShouldLeaveAQualifiedRecipientUnchanged() throws Exception {
            SMTPSession session = sessionWithSender(sender);
            MailAddress recipient = new MailAddress("carol@example.com");
            session.setAttachment(RcptCmdHandler.CURRENT_RECIPIENT, recipient, State.Transaction);

            assertThat(hook.doRcpt(session, sender, recipient)).isEqualTo(HookResult.DECLINED);
            assertThat(session.getAttachment(RcptCmdHandler.CURRENT_RECIPIENT, State.Transaction)).contains(recipient);
        }

        @Test
        void doRcptShouldRefuseAnIncompleteDomain() throws Exception {
            assertThat(TestSessions.replyLine(hook.doRcpt(sessionWithSender(sender), sender, new MailAddress("bob@squeaky.sales"))))
                .isEqualTo("554 5.1.2 Recipient address domain 'squeaky.sales' is not fully qualified");
        }

        @Test
        void doRcptShouldRefuseASingleLabelWithoutExpansion() throws Exception {
            assertThat(TestSessions.replyLine(hook.doRcpt(sessionWithSender(sender), sender, new MailAddress("bob@localhost"))))
                .isEqualTo("554 5.1.2 Recipient address domain 'localhost' is not fully qualified");
        }
    }

    @Nested
    class Configuration {
        @Test
        void initShouldNameTheParameterOfABadExpansion() {
            assertThatThrownBy(() -> hook.init(TestSessions.handlerConfiguration(QualifiedEnvelopeHook.class,
                    QualifiedEnvelopeHook.DOMAIN_EXPANSIONS, "sales")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("Handler org.msa4james.smtp.QualifiedEnvelopeHook: parameter 'domainExpansions' is invalid: "
                    + "'sales' is not of the form label=domain");
        }

        @Test
        void initShouldNameTheParameterOfABadTopLevelDomain() {
            assertThatThrownBy(() -> hook.init(TestSessions.handlerConfiguration(QualifiedEnvelopeHook.class,
                    QualifiedEnvelopeHook.ADDITIONAL_TOP_LEVEL_DOMAINS, "corp.lan")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("Handler org.msa4james.smtp.QualifiedEnvelopeHook: parameter 'additionalTopLevelDomains' is invalid: "
                    + "'corp.lan' is not a single domain label");
        }

        @Test
        void initShouldRejectAnUnresolvedPlaceholder() {
            assertThatThrownBy(() -> hook.init(TestSessions.handlerConfiguration(QualifiedEnvelopeHook.class,
                    QualifiedEnvelopeHook.DOMAIN_EXPANSIONS, "${sys:msa.domain.expansions}")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("Handler org.msa4james.smtp.QualifiedEnvelopeHook: parameter 'domainExpansions' is invalid");
        }
    }
}
