package org.msa4james.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.james.core.MailAddress;
import org.apache.james.core.MaybeSender;
import org.apache.james.metrics.tests.RecordingMetricFactory;
import org.apache.james.protocols.api.ProtocolSession.State;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.server.core.MailImpl;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.msa4james.abuse.MutableClock;
import org.msa4james.diagnostics.ClientDiagnostics;
import org.msa4james.redis.RedisSendingCounter;
import org.msa4james.redis.RedisServerExtension;

/**
 * The sending limits over a real Redis: what one submission costs (one script at MAIL, which reads both counts, and one
 * at the end of DATA, which counts both without making the client wait, whatever the number of recipients), and the
 * limits as before.
 */
class SendingRateLimitHookRedisTest {
    private static final String ALICE = "alice@example.test";
    private static final Pattern SCRIPT_CALLS = Pattern.compile("cmdstat_(evalsha|eval):calls=(\\d+)");

    @RegisterExtension
    static RedisServerExtension redisServer = new RedisServerExtension();

    private final MutableClock clock = new MutableClock(java.time.Instant.parse("2026-11-28T19:15:00Z"));
    private SendingRateLimitHook hook;
    private MaybeSender sender;

    @BeforeEach
    void setUp() throws Exception {
        RedisSendingCounter counter = new RedisSendingCounter(
            redisServer.gateway("msa4james:", Duration.ofSeconds(2), new RecordingMetricFactory(), System::nanoTime), clock);
        hook = new SendingRateLimitHook(counter, ClientDiagnostics.discarding());
        hook.init(TestSessions.handlerConfiguration(SendingRateLimitHook.class, "maxMessagesPerHour", "2", "maxRecipientsPerHour", "5"));
        sender = MaybeSender.of(new MailAddress(ALICE));
    }

    @Test
    void aSubmissionToThreeRecipientsShouldCostTwoScriptsOneOfWhichTheClientWaitsFor() throws Exception {
        submit(1);
        Awaitility.await().atMost(Duration.ofSeconds(10))
            .until(() -> "1".equals(redisServer.redis().commands().hget("msa4james:sending:messages:" + ALICE, "c")));
        redisServer.redis().commands().configResetstat();

        assertThat(submit(3)).isEqualTo(HookResult.DECLINED);

        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(redisServer.redis().commands().hget("msa4james:sending:messages:" + ALICE, "c")).isEqualTo("2");
            assertThat(redisServer.redis().commands().hget("msa4james:sending:recipients:" + ALICE, "c")).isEqualTo("4");
        });
        assertThat(scriptCalls()).isEqualTo(2);
    }

    @Test
    void theLimitsShouldHoldAsInMemory() throws Exception {
        submit(4);

        SMTPSession session = TestSessions.from("203.0.113.5").authenticatedAs(ALICE).build();
        assertThat(hook.doMail(session, sender)).isEqualTo(HookResult.DECLINED);
        session.setAttachment(SMTPSession.RCPT_LIST, new ArrayList<>(List.of(new MailAddress("one@example.test"))), State.Transaction);
        assertThat(TestSessions.replyLine(hook.doRcpt(session, sender, new MailAddress("two@example.test")))).isEqualTo(
            "451 4.7.1 Sending limit reached: at most 5 recipients per hour for alice@example.test; try again after 20:15 UTC");
        submit(1);
        assertThat(TestSessions.replyLine(hook.doMail(TestSessions.from("203.0.113.5").authenticatedAs(ALICE).build(), sender)))
            .isEqualTo("451 4.7.1 Sending limit reached: at most 2 messages per hour for alice@example.test; try again after 20:15 UTC");
    }

    /** MAIL, one RCPT per recipient, the end of DATA, as James calls the hook; the last result that was not DECLINED. */
    private HookResult submit(int recipients) throws Exception {
        SMTPSession session = TestSessions.from("203.0.113.5").authenticatedAs(ALICE).build();
        HookResult result = hook.doMail(session, sender);
        if (result != HookResult.DECLINED) {
            return result;
        }
        List<MailAddress> accepted = new ArrayList<>();
        MailImpl.Builder mail = MailImpl.builder().name("mail").sender(ALICE);
        for (int i = 0; i < recipients; i++) {
            MailAddress recipient = new MailAddress("rcpt" + i + "@example.test");
            session.setAttachment(SMTPSession.RCPT_LIST, new ArrayList<>(accepted), State.Transaction);
            result = hook.doRcpt(session, sender, recipient);
            if (result != HookResult.DECLINED) {
                return result;
            }
            accepted.add(recipient);
            mail.addRecipient(recipient);
        }
        return hook.onMessage(session, mail.build());
    }

    private long scriptCalls() {
        Matcher calls = SCRIPT_CALLS.matcher(redisServer.redis().commands().info("commandstats"));
        long total = 0;
        while (calls.find()) {
            total += Long.parseLong(calls.group(2));
        }
        return total;
    }
}
