package org.msa4james.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.stream.Collectors;

import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.james.core.MailAddress;
import org.apache.james.core.MaybeSender;
import org.apache.james.metrics.tests.RecordingMetricFactory;
import org.apache.james.protocols.api.ProtocolSession.State;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.server.core.MailImpl;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.msa4james.abuse.InMemorySendingCounter;
import org.msa4james.abuse.MutableClock;
import org.msa4james.diagnostics.ClientDiagnostics;
import org.msa4james.diagnostics.DiagnosticFilter;
import org.msa4james.diagnostics.InMemoryDiagnosticsStore;

class SendingRateLimitHookTest {
    private static final Instant START = Instant.parse("2026-11-28T19:15:00Z");
    private static final String ALICE = "alice@example.test";

    private final MutableClock clock = new MutableClock(START);
    private final InMemoryDiagnosticsStore store = new InMemoryDiagnosticsStore();
    private final SendingRateLimitHook hook = new SendingRateLimitHook(new InMemorySendingCounter(clock),
        new ClientDiagnostics(store, new RecordingMetricFactory(), Clock.fixed(START, ZoneOffset.UTC)));
    private MaybeSender sender;

    @BeforeEach
    void setUp() throws Exception {
        sender = MaybeSender.of(new MailAddress(ALICE));
        hook.init(TestSessions.handlerConfiguration(SendingRateLimitHook.class,
            "maxMessagesPerHour", "3", "maxRecipientsPerHour", "5", "overrides", "bob@example.test=1/1"));
    }

    @Test
    void mailShouldBeAcceptedBelowTheMessageLimit() throws Exception {
        send(ALICE, 2, 1);

        assertThat(hook.doMail(session(ALICE), sender)).isEqualTo(HookResult.DECLINED);
    }

    @Test
    void mailShouldBeRefusedAtTheMessageLimitWithTheResetTime() throws Exception {
        send(ALICE, 3, 1);
        clock.advance(Duration.ofMinutes(20));
        SMTPSession session = session(ALICE);
        session.setAttachment(SMTPSession.SENDER, sender, State.Transaction);

        HookResult result = hook.doMail(session, sender);

        assertThat(TestSessions.replyLine(result)).isEqualTo(
            "451 4.7.1 Sending limit reached: at most 3 messages per hour for alice@example.test; try again after 20:15 UTC");
        assertThat(session.getAttachment(SMTPSession.SENDER, State.Transaction)).isEmpty();
        assertThat(store.list(DiagnosticFilter.ALL).stream().map(entry -> entry.key().subject() + " " + entry.key().defect().id())
            .collect(Collectors.toList())).containsExactly("alice@example.test rate-limited");
    }

    @Test
    void theLimitShouldEndWithTheHour() throws Exception {
        send(ALICE, 3, 1);
        clock.advance(Duration.ofHours(1));

        assertThat(hook.doMail(session(ALICE), sender)).isEqualTo(HookResult.DECLINED);
    }

    @Test
    void rcptShouldBeRefusedAtTheRecipientLimitCountingTheCurrentTransaction() throws Exception {
        send(ALICE, 1, 3);
        SMTPSession session = TestSessions.from("203.0.113.5").authenticatedAs(ALICE)
            .inTransaction(sender, new MailAddress("one@example.test"));

        assertThat(hook.doRcpt(session, sender, new MailAddress("two@example.test"))).isEqualTo(HookResult.DECLINED);
        session = TestSessions.from("203.0.113.5").authenticatedAs(ALICE)
            .inTransaction(sender, new MailAddress("one@example.test"), new MailAddress("two@example.test"));
        assertThat(TestSessions.replyLine(hook.doRcpt(session, sender, new MailAddress("three@example.test")))).isEqualTo(
            "451 4.7.1 Sending limit reached: at most 5 recipients per hour for alice@example.test; try again after 20:15 UTC");
    }

    @Test
    void anOverrideShouldApplyToItsUserOnly() throws Exception {
        send("bob@example.test", 1, 1);

        assertThat(TestSessions.replyLine(hook.doMail(session("bob@example.test"), sender))).isEqualTo(
            "451 4.7.1 Sending limit reached: at most 1 messages per hour for bob@example.test; try again after 20:15 UTC");
        assertThat(hook.doMail(session(ALICE), sender)).isEqualTo(HookResult.DECLINED);
    }

    @Test
    void defaultsShouldBe500MessagesAnd2000Recipients() throws Exception {
        hook.init(TestSessions.handlerConfiguration(SendingRateLimitHook.class));
        send(ALICE, 499, 4);
        assertThat(hook.doMail(session(ALICE), sender)).isEqualTo(HookResult.DECLINED);
        assertThat(hook.doRcpt(session(ALICE), sender, new MailAddress("one@example.test"))).isEqualTo(HookResult.DECLINED);
        send(ALICE, 1, 4);

        assertThat(hook.doMail(session(ALICE), sender).getSmtpDescription())
            .startsWith("4.7.1 Sending limit reached: at most 500 messages per hour");
        assertThat(hook.doRcpt(session(ALICE), sender, new MailAddress("one@example.test")).getSmtpDescription())
            .startsWith("4.7.1 Sending limit reached: at most 2000 recipients per hour");
    }

    @Test
    void unauthenticatedSessionsShouldNotBeLimitedNorCounted() throws Exception {
        SMTPSession session = TestSessions.from("192.0.2.10").build();
        for (int i = 0; i < 5; i++) {
            hook.onMessage(session, mail(1));
        }

        assertThat(hook.doMail(session, sender)).isEqualTo(HookResult.DECLINED);
        assertThat(hook.doRcpt(session, sender, new MailAddress("one@example.test"))).isEqualTo(HookResult.DECLINED);
    }

    @Test
    void initShouldRefuseBadOverrides() {
        assertThatThrownBy(() -> hook.init(TestSessions.handlerConfiguration(SendingRateLimitHook.class,
            "overrides", "alice@example.test=many")))
            .isInstanceOf(ConfigurationException.class)
            .hasMessage("Handler org.msa4james.smtp.SendingRateLimitHook: parameter 'overrides' is invalid: "
                + "entry 'alice@example.test=many' is not user=messages/recipients");
    }

    @Test
    void initShouldRefuseABadLimit() {
        assertThatThrownBy(() -> hook.init(TestSessions.handlerConfiguration(SendingRateLimitHook.class,
            "maxMessagesPerHour", "-5")))
            .isInstanceOf(ConfigurationException.class)
            .hasMessage("Handler org.msa4james.smtp.SendingRateLimitHook: parameter 'maxMessagesPerHour' "
                + "must be a positive integer, not '-5'");
    }

    private void send(String user, int messages, int recipientsEach) throws Exception {
        for (int i = 0; i < messages; i++) {
            assertThat(hook.onMessage(session(user), mail(recipientsEach))).isEqualTo(HookResult.DECLINED);
        }
    }

    private static MailImpl mail(int recipients) throws Exception {
        MailImpl.Builder builder = MailImpl.builder().name("mail").sender(ALICE);
        for (int i = 0; i < recipients; i++) {
            builder.addRecipient("rcpt" + i + "@example.test");
        }
        return builder.build();
    }

    private static SMTPSession session(String user) {
        return TestSessions.from("203.0.113.5").withTls("TLSv1.3").authenticatedAs(user).build();
    }
}
