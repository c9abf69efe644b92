package org.msa4james.smtp;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import javax.inject.Inject;

import org.apache.commons.configuration2.Configuration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.james.core.MailAddress;
import org.apache.james.core.MaybeSender;
import org.apache.james.protocols.api.ProtocolSession.AttachmentKey;
import org.apache.james.protocols.api.ProtocolSession.State;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.MailHook;
import org.apache.james.protocols.smtp.hook.RcptHook;
import org.apache.james.smtpserver.JamesMessageHook;
import org.apache.mailet.Mail;
import org.msa4james.abuse.InMemorySendingCounter;
import org.msa4james.abuse.SendingCounter;
import org.msa4james.abuse.SendingLimits;
import org.msa4james.abuse.WindowCount;
import org.msa4james.diagnostics.ClientDiagnostics;
import org.msa4james.diagnostics.Defect;
import org.msa4james.smtp.reply.AbuseReplies;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-user sending limits, checked in the session before a message is accepted: at most {@code maxMessagesPerHour}
 * messages and {@code maxRecipientsPerHour} recipients per authenticated user in an hour (defaults 500 and 2000;
 * {@code overrides} sets other limits for named users). Over the limit, MAIL or RCPT is answered {@code 451 4.7.1}
 * with the limit and the time (UTC) at which the user's hour ends.
 *
 * <p>A message and its recipients are counted when the message is accepted, at the end of DATA (this hook as a
 * message hook, after the hooks that may still refuse the message), so that refused or abandoned transactions cost the
 * user nothing. Both counts are read once per transaction, at MAIL, and counted together without waiting for the
 * counts: one operation of the {@link SendingCounter} each, whatever the number of recipients, and with Redis one round
 * trip that the client waits for, at MAIL. The hour is a fixed window that opens with the first counted message of the user. Counts live in a
 * {@link SendingCounter} shared by the listeners (in memory by default). Sessions without an authenticated user
 * (trusted networks) are not limited.</p>
 */
public class SendingRateLimitHook implements MailHook, RcptHook, JamesMessageHook {
    static final String MAX_MESSAGES_PER_HOUR = "maxMessagesPerHour";
    static final String MAX_RECIPIENTS_PER_HOUR = "maxRecipientsPerHour";
    static final String OVERRIDES = "overrides";
    static final int DEFAULT_MAX_MESSAGES_PER_HOUR = 500;
    static final int DEFAULT_MAX_RECIPIENTS_PER_HOUR = 2000;
    static final String RULE = "sending-rate-limit";
    private static final Duration HOUR = Duration.ofHours(1);
    private static final List<Long> READ_BOTH = List.of(0L, 0L);
    /** The user's recipients in the hour, read with the messages at MAIL: the RCPT of that transaction need not ask again. */
    private static final AttachmentKey<WindowCount> RECIPIENTS_AT_MAIL =
        AttachmentKey.of("msa4james.abuse.recipientsAtMail", WindowCount.class);

    private static final Logger LOGGER = LoggerFactory.getLogger(SendingRateLimitHook.class);

    private final SendingCounter counter;
    private final ClientDiagnostics diagnostics;
    private SendingLimits limits = new SendingLimits(
        new SendingLimits.Limit(DEFAULT_MAX_MESSAGES_PER_HOUR, DEFAULT_MAX_RECIPIENTS_PER_HOUR), Map.of());

    public SendingRateLimitHook() {
        this(new InMemorySendingCounter(), ClientDiagnostics.discarding());
    }

    @Inject
    public SendingRateLimitHook(SendingCounter counter, ClientDiagnostics diagnostics) {
        this.counter = counter;
        this.diagnostics = diagnostics;
    }

    @Override
    public void init(Configuration config) throws ConfigurationException {
        HandlerParameters parameters = HandlerParameters.of(config, SendingRateLimitHook.class,
            MAX_MESSAGES_PER_HOUR, MAX_RECIPIENTS_PER_HOUR, OVERRIDES);
        SendingLimits.Limit defaultLimit = new SendingLimits.Limit(
            parameters.positiveInt(MAX_MESSAGES_PER_HOUR, DEFAULT_MAX_MESSAGES_PER_HOUR),
            parameters.positiveInt(MAX_RECIPIENTS_PER_HOUR, DEFAULT_MAX_RECIPIENTS_PER_HOUR));
        Map<String, SendingLimits.Limit> overrides = parameters.parsed(OVERRIDES, SendingLimits::parseOverrides);
        limits = new SendingLimits(defaultLimit, overrides);
        LOGGER.info("Sending limits per user and hour: {} messages/recipients, {} override(s)", defaultLimit, overrides.size());
    }

    @Override
    public HookResult doMail(SMTPSession session, MaybeSender sender) {
        if (session.getUsername() == null) {
            return HookResult.DECLINED;
        }
        String user = session.getUsername().asString();
        int limit = limits.of(user).messagesPerHour();
        List<WindowCount> counts = counter.add(List.of(messagesKey(user), recipientsKey(user)), READ_BOTH, HOUR);
        WindowCount messages = counts.get(0);
        if (messages.count() < limit) {
            session.setAttachment(RECIPIENTS_AT_MAIL, counts.get(1), State.Transaction);
            return HookResult.DECLINED;
        }
        SessionState.forgetSender(session);
        refused(session, user);
        return AbuseReplies.messageLimitReached(limit, user, messages.resetsAt());
    }

    @Override
    public HookResult doRcpt(SMTPSession session, MaybeSender sender, MailAddress rcpt) {
        if (session.getUsername() == null) {
            return HookResult.DECLINED;
        }
        String user = session.getUsername().asString();
        int limit = limits.of(user).recipientsPerHour();
        WindowCount recipients = session.getAttachment(RECIPIENTS_AT_MAIL, State.Transaction)
            .orElseGet(() -> counter.get(recipientsKey(user), HOUR));
        if (recipients.count() + session.getRcptCount() < limit) {
            return HookResult.DECLINED;
        }
        refused(session, user);
        return AbuseReplies.recipientLimitReached(limit, user, recipients.resetsAt());
    }

    @Override
    public HookResult onMessage(SMTPSession session, Mail mail) {
        if (session.getUsername() != null) {
            String user = session.getUsername().asString();
            counter.addWithoutWaiting(List.of(messagesKey(user), recipientsKey(user)),
                List.of(1L, (long) mail.getRecipients().size()), HOUR);
        }
        return HookResult.DECLINED;
    }

    private void refused(SMTPSession session, String user) {
        RefusalRule.name(session, RULE);
        SessionDiagnostics.record(diagnostics, Defect.RATE_LIMITED, session);
        LOGGER.debug("Sending limit reached for {}", user);
    }

    private static String messagesKey(String user) {
        return "messages:" + user.toLowerCase(java.util.Locale.ROOT);
    }

    private static String recipientsKey(String user) {
        return "recipients:" + user.toLowerCase(java.util.Locale.ROOT);
    }
}
