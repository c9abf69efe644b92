package org.msa4james.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.james.core.MailAddress;
import org.apache.james.server.core.MailImpl;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.msa4james.submission.SubmissionAttributes;

class SubmissionMarkHookTest {
    private static final Instant NOW = Instant.parse("2026-11-28T18:55:39.123Z");

    private final SubmissionMarkHook hook = new SubmissionMarkHook(Clock.fixed(NOW, ZoneOffset.UTC));
    private MailImpl mail;

    @BeforeEach
    void setUp() throws Exception {
        mail = MailImpl.builder().name("mail1").sender("alice@example.test").addRecipient(new MailAddress("carol@example.com")).build();
    }

    @Test
    void onMessageShouldMarkTheMailAsASubmission() throws Exception {
        hook.init(TestSessions.handlerConfiguration(SubmissionMarkHook.class, SubmissionMarkHook.LISTENER_NAME, "submission"));

        HookResult result = hook.onMessage(
            TestSessions.from("203.0.113.5").withTls("TLSv1.3").authenticatedAs("alice@example.test").build(), mail);

        assertThat(result).isEqualTo(HookResult.DECLINED);
        assertThat(mail.getAttribute(SubmissionAttributes.LISTENER)).map(a -> (Object) a.getValue().value()).contains("submission");
        assertThat(mail.getAttribute(SubmissionAttributes.USER)).map(a -> (Object) a.getValue().value()).contains("alice@example.test");
        assertThat(mail.getAttribute(SubmissionAttributes.TLS_PROTOCOL)).map(a -> (Object) a.getValue().value()).contains("TLSv1.3");
        assertThat(mail.getAttribute(SubmissionAttributes.CLIENT_ADDRESS)).map(a -> (Object) a.getValue().value()).contains("203.0.113.5");
        assertThat(mail.getAttribute(SubmissionAttributes.RECEIVED_AT)).map(a -> (Object) a.getValue().value()).contains("2026-11-28T18:55:39.123Z");
    }

    @Test
    void onMessageShouldOmitUserAndTlsWhenTheSessionHadNeither() throws Exception {
        hook.init(TestSessions.handlerConfiguration(SubmissionMarkHook.class, SubmissionMarkHook.LISTENER_NAME, "submissions"));

        hook.onMessage(TestSessions.from("2001:db8::7").build(), mail);

        assertThat(mail.getAttribute(SubmissionAttributes.LISTENER)).map(a -> (Object) a.getValue().value()).contains("submissions");
        assertThat(mail.getAttribute(SubmissionAttributes.CLIENT_ADDRESS)).map(a -> (Object) a.getValue().value()).contains("2001:db8:0:0:0:0:0:7");
        assertThat(mail.getAttribute(SubmissionAttributes.USER)).isEmpty();
        assertThat(mail.getAttribute(SubmissionAttributes.TLS_PROTOCOL)).isEmpty();
    }

    @Test
    void initShouldRequireTheListenerName() {
        assertThatThrownBy(() -> hook.init(TestSessions.handlerConfiguration(SubmissionMarkHook.class)))
            .isInstanceOf(ConfigurationException.class)
            .hasMessage("Handler org.msa4james.smtp.SubmissionMarkHook: parameter 'listenerName' is required");
    }

    @ParameterizedTest
    @ValueSource(strings = {"sub mission", "-submission", "submission/587"})
    void initShouldRejectAListenerNameWithOtherCharacters(String name) {
        assertThatThrownBy(() -> hook.init(TestSessions.handlerConfiguration(SubmissionMarkHook.class, SubmissionMarkHook.LISTENER_NAME, name)))
            .isInstanceOf(ConfigurationException.class)
            .hasMessage("Handler org.msa4james.smtp.SubmissionMarkHook: parameter 'listenerName' must be letters, digits, '.', '_' or '-' "
                + "(at most 64), not '" + name + "'");
    }
}
