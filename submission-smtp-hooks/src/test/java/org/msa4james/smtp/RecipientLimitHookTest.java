package org.msa4james.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.IntStream;

import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.james.core.MailAddress;
import org.apache.james.core.MaybeSender;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RecipientLimitHookTest {
    private final RecipientLimitHook hook = new RecipientLimitHook();

    private static SMTPSession sessionWithRecipients(int count) {
        MailAddress[] recipients = IntStream.range(0, count)
            .mapToObj(i -> {
                try {
                    return new MailAddress("user" + i + "@example.com");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            })
            .toArray(MailAddress[]::new);
        return TestSessions.from("203.0.113.5").authenticatedAs("alice@example.test").inTransaction(MaybeSender.nullSender(), recipients);
    }

    @Test
    void doRcptShouldAcceptUpToTheDefaultOfOneHundred() throws Exception {
        hook.init(TestSessions.handlerConfiguration(RecipientLimitHook.class));

        assertThat(hook.doRcpt(sessionWithRecipients(99), MaybeSender.nullSender(), new MailAddress("last@example.com")))
            .isEqualTo(HookResult.DECLINED);
        assertThat(TestSessions.replyLine(hook.doRcpt(sessionWithRecipients(100), MaybeSender.nullSender(), new MailAddress("one.more@example.com"))))
            .isEqualTo("452 4.5.3 Too many recipients: at most 100 per message");
    }

    @Test
    void doRcptShouldApplyTheConfiguredLimit() throws Exception {
        hook.init(TestSessions.handlerConfiguration(RecipientLimitHook.class, RecipientLimitHook.MAX_RECIPIENTS, "3"));

        assertThat(hook.doRcpt(sessionWithRecipients(2), MaybeSender.nullSender(), new MailAddress("third@example.com")))
            .isEqualTo(HookResult.DECLINED);
        assertThat(TestSessions.replyLine(hook.doRcpt(sessionWithRecipients(3), MaybeSender.nullSender(), new MailAddress("fourth@example.com"))))
            .isEqualTo("452 4.5.3 Too many recipients: at most 3 per message");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-5", "ten", "1.5", "99999999999"})
    void initShouldRejectAValueThatIsNoPositiveInteger(String value) {
        assertThatThrownBy(() -> hook.init(TestSessions.handlerConfiguration(RecipientLimitHook.class, RecipientLimitHook.MAX_RECIPIENTS, value)))
            .isInstanceOf(ConfigurationException.class)
            .hasMessage("Handler org.msa4james.smtp.RecipientLimitHook: parameter 'maxRecipients' must be a positive integer, not '" + value + "'");
    }
}
