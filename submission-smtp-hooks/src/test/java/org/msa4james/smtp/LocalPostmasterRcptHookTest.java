package org.msa4james.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.james.core.Domain;
import org.apache.james.core.MailAddress;
import org.apache.james.core.MaybeSender;
import org.apache.james.domainlist.api.DomainList;
import org.apache.james.domainlist.api.DomainListException;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mockito.Mockito;

class LocalPostmasterRcptHookTest {
    private LocalPostmasterRcptHook hook;
    private final SMTPSession session = TestSessions.from("203.0.113.5").inTransaction(MaybeSender.nullSender());

    @BeforeEach
    void setUp() throws Exception {
        hook = new LocalPostmasterRcptHook(new InMemoryJamesData().domainList);
        hook.init(TestSessions.handlerConfiguration(LocalPostmasterRcptHook.class));
    }

    @ParameterizedTest
    @ValueSource(strings = {"postmaster@example.test", "PostMaster@Example.Test", "postmaster@sales.example.test"})
    void doRcptShouldAcceptThePostmasterOfALocalDomain(String address) throws Exception {
        assertThat(hook.doRcpt(session, MaybeSender.nullSender(), new MailAddress(address))).isEqualTo(HookResult.OK);
    }

    @ParameterizedTest
    @ValueSource(strings = {"postmaster@example.com", "abuse@example.test", "bob@example.test", "postmaster.x@example.test"})
    void doRcptShouldHaveNoOpinionOnAnyOtherRecipient(String address) throws Exception {
        assertThat(hook.doRcpt(session, MaybeSender.nullSender(), new MailAddress(address))).isEqualTo(HookResult.DECLINED);
    }

    @Test
    void doRcptShouldAnswerATemporaryFailureWhenTheDomainListFails() throws Exception {
        DomainList failing = Mockito.mock(DomainList.class);
        Mockito.when(failing.containsDomain(Mockito.any(Domain.class))).thenThrow(new DomainListException("backend down"));

        assertThat(TestSessions.replyLine(new LocalPostmasterRcptHook(failing)
                .doRcpt(session, MaybeSender.nullSender(), new MailAddress("postmaster@example.test"))))
            .isEqualTo("451 4.3.0 Temporary server failure while checking the address; try again later");
    }

    @Test
    void initShouldRejectAnyParameter() {
        assertThatThrownBy(() -> hook.init(TestSessions.handlerConfiguration(LocalPostmasterRcptHook.class, "abuse", "true")))
            .isInstanceOf(ConfigurationException.class)
            .hasMessage("Handler org.msa4james.smtp.LocalPostmasterRcptHook: parameter 'abuse' is not a parameter of this handler; "
                + "known parameters: none");
    }
}
