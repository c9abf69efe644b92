package org.msa4james.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.james.core.MailAddress;
import org.apache.james.core.MaybeSender;
import org.apache.james.core.Username;
import org.apache.james.protocols.api.ProtocolSession.State;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.rrt.api.CanSendFrom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mockito.Mockito;

class SenderEntitlementHookTest {
    private SenderEntitlementHook hook;

    @BeforeEach
    void setUp() throws Exception {
        hook = new SenderEntitlementHook(new InMemoryJamesData().canSendFrom);
        hook.init(TestSessions.handlerConfiguration(SenderEntitlementHook.class));
    }

    private static SMTPSession aliceSession(MaybeSender sender) {
        return TestSessions.from("203.0.113.5").withTls("TLSv1.3").authenticatedAs("alice@example.test").inTransaction(sender);
    }

    @ParameterizedTest
    @ValueSource(strings = {"alice@example.test", "ALICE@Example.Test", "a.liddell@example.test"})
    void doMailShouldAcceptTheUsersOwnAddressesAndAliases(String address) throws Exception {
        MaybeSender sender = MaybeSender.of(new MailAddress(address));

        assertThat(hook.doMail(aliceSession(sender), sender)).isEqualTo(HookResult.DECLINED);
    }

    @Test
    void doMailShouldAcceptTheNullSender() {
        MaybeSender sender = MaybeSender.nullSender();

        assertThat(hook.doMail(aliceSession(sender), sender)).isEqualTo(HookResult.DECLINED);
    }

    @Test
    void doMailShouldRefuseAnotherUsersAddress() throws Exception {
        MaybeSender sender = MaybeSender.of(new MailAddress("bob@example.test"));
        SMTPSession session = aliceSession(sender);

        assertThat(TestSessions.replyLine(hook.doMail(session, sender)))
            .isEqualTo("550 5.7.1 Sender <bob@example.test> is not an address that alice@example.test may send from");
        assertThat(session.getAttachment(SMTPSession.SENDER, State.Transaction)).isEmpty();
    }

    @Test
    void doMailShouldRefuseARemoteAddress() throws Exception {
        MaybeSender sender = MaybeSender.of(new MailAddress("ceo@example.com"));

        assertThat(TestSessions.replyLine(hook.doMail(aliceSession(sender), sender)))
            .isEqualTo("550 5.7.1 Sender <ceo@example.com> is not an address that alice@example.test may send from");
    }

    @Test
    void doMailShouldHaveNoOpinionWithoutAuthentication() throws Exception {
        MaybeSender sender = MaybeSender.of(new MailAddress("bob@example.test"));
        SMTPSession session = TestSessions.from("192.0.2.1").inTransaction(sender);

        assertThat(hook.doMail(session, sender)).isEqualTo(HookResult.DECLINED);
    }

    @Test
    void doMailShouldAnswerATemporaryFailureWhenTheCheckFails() throws Exception {
        CanSendFrom failing = Mockito.mock(CanSendFrom.class);
        Mockito.when(failing.userCanSendFrom(Mockito.any(Username.class), Mockito.any(Username.class)))
            .thenThrow(new IllegalStateException("rewrite table down"));
        SenderEntitlementHook failingHook = new SenderEntitlementHook(failing);
        MaybeSender sender = MaybeSender.of(new MailAddress("alice@example.test"));
        SMTPSession session = aliceSession(sender);

        assertThat(TestSessions.replyLine(failingHook.doMail(session, sender)))
            .isEqualTo("451 4.3.0 Temporary server failure while checking the address; try again later");
        assertThat(session.getAttachment(SMTPSession.SENDER, State.Transaction)).isEmpty();
    }

    @Test
    void initShouldRejectAnyParameter() {
        assertThatThrownBy(() -> hook.init(TestSessions.handlerConfiguration(SenderEntitlementHook.class, "allowAliases", "false")))
            .isInstanceOf(ConfigurationException.class)
            .hasMessage("Handler org.msa4james.smtp.SenderEntitlementHook: parameter 'allowAliases' is not a parameter of this handler; "
                + "known parameters: none");
    }
}
