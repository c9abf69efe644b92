package org.msa4james.smtp;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.commons.configuration2.Configuration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.james.protocols.api.ProtocolSession;
import org.apache.james.protocols.api.Response;
import org.apache.james.protocols.api.handler.CommandHandler;
import org.apache.james.protocols.api.handler.DisconnectHandler;
import org.apache.james.protocols.api.handler.ProtocolHandler;
import org.apache.james.protocols.api.handler.ProtocolHandlerResultHandler;
import org.apache.james.protocols.smtp.SMTPSession;
import org.msa4james.abuse.InMemoryWindowCounter;
import org.msa4james.smtp.reply.SubmissionRepliesText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;

/**
 * RFC 6409 section 5.2: one structured line per refused command or message (every 4xx or 5xx reply of the listener),
 * on the logger {@code org.msa4james.refusals}, at INFO:
 * <pre>refused rule=sending-rate-limit reply="451 4.7.1 Sending limit reached: ..." user=alice@example.test client=192.0.2.7 listener=submission</pre>
 * {@code rule} is the msa4james rule that refused, or the simple name of the James handler that answered
 * ({@code MailCmdHandler}, {@code AuthCmdHandler}, ...); {@code user} is the authenticated user or {@code -}.
 * Only the reply is logged, never the client's command line: no password or AUTH payload reaches the log.
 *
 * <p>Rate-limited so that a flood cannot fill the disk: at most {@code maxLinesPerMinute} lines per client address and
 * minute (default 20) and {@code maxLinesPerMinuteInTotal} for the listener (default 600); the refusals past either
 * limit are counted, and the next line logged for that address is preceded by
 * {@code refusals suppressed client=192.0.2.7 listener=submission count=K}.</p>
 *
 * <p>A refusal James writes without showing it to the result handlers (the {@code 535} that ends AUTH LOGIN) is handed
 * over with {@link #reportUnseenRefusal} and logged with the session's next reply or at its end.</p>
 */
public class RefusalLogHandler implements ProtocolHandlerResultHandler<Response, ProtocolSession>,
        DisconnectHandler<ProtocolSession> {
    public static final String LOGGER_NAME = "org.msa4james.refusals";
    static final String LISTENER_NAME = "listenerName";
    static final String MAX_LINES_PER_MINUTE = "maxLinesPerMinute";
    static final String MAX_LINES_PER_MINUTE_IN_TOTAL = "maxLinesPerMinuteInTotal";
    static final int DEFAULT_MAX_LINES_PER_MINUTE = 20;
    static final int DEFAULT_MAX_LINES_PER_MINUTE_IN_TOTAL = 600;
    private static final int MAX_ADDRESSES = 10_000;
    private static final int MAX_REPLY_TEXT = 200;
    private static final Duration MINUTE = Duration.ofMinutes(1);
    private static final String TOTAL = "*";

    private static final Logger REFUSALS = LoggerFactory.getLogger(LOGGER_NAME);
    private static final ProtocolSession.AttachmentKey<LastReply> LAST_REPLY =
        ProtocolSession.AttachmentKey.of("msa4james.refusals.lastReply", LastReply.class);
    private static final ProtocolSession.AttachmentKey<UnseenRefusal> UNSEEN =
        ProtocolSession.AttachmentKey.of("msa4james.refusals.unseen", UnseenRefusal.class);

    private final InMemoryWindowCounter lines;
    private final Cache<String, AtomicLong> suppressed;
    private String listenerName;
    private int maxLinesPerMinute = DEFAULT_MAX_LINES_PER_MINUTE;
    private int maxLinesPerMinuteInTotal = DEFAULT_MAX_LINES_PER_MINUTE_IN_TOTAL;

    public RefusalLogHandler() {
        this(Clock.systemUTC());
    }

    RefusalLogHandler(Clock clock) {
        this.lines = new InMemoryWindowCounter(clock, MAX_ADDRESSES, Duration.ofMinutes(2));
        this.suppressed = CacheBuilder.newBuilder().maximumSize(MAX_ADDRESSES).expireAfterAccess(1, TimeUnit.HOURS).build();
    }

    @Override
    public void init(Configuration config) throws ConfigurationException {
        HandlerParameters parameters = HandlerParameters.of(config, RefusalLogHandler.class,
            LISTENER_NAME, MAX_LINES_PER_MINUTE, MAX_LINES_PER_MINUTE_IN_TOTAL);
        listenerName = parameters.requiredString(LISTENER_NAME);
        maxLinesPerMinute = parameters.positiveInt(MAX_LINES_PER_MINUTE, DEFAULT_MAX_LINES_PER_MINUTE);
        maxLinesPerMinuteInTotal = parameters.positiveInt(MAX_LINES_PER_MINUTE_IN_TOTAL, DEFAULT_MAX_LINES_PER_MINUTE_IN_TOTAL);
    }

    @Override
    public Response onResponse(ProtocolSession session, Response response, long executionTime, ProtocolHandler handler) {
        if (!(session instanceof SMTPSession)) {
            return response;
        }
        if (response != null && alreadySeen(session, response, handler)) {
            return response;
        }
        logUnseenRefusal(session);
        String rule = RefusalRule.take(session).orElseGet(() -> handlerName(handler));
        if (response == null || response.getRetCode() == null
                || !(response.getRetCode().startsWith("4") || response.getRetCode().startsWith("5"))) {
            return response;
        }
        log(session, rule, response);
        return response;
    }

    @Override
    public void onDisconnect(ProtocolSession session) {
        if (session instanceof SMTPSession) {
            logUnseenRefusal(session);
        }
    }

    /**
     * Hands over a refusal that James wrote without showing it to any result handler (the {@code 535} after the last
     * line of AUTH LOGIN): it is logged with the next reply of the session, or when the session ends.
     */
    public static void reportUnseenRefusal(ProtocolSession session, Response reply, String rule) {
        session.setAttachment(UNSEEN, new UnseenRefusal(reply, rule), ProtocolSession.State.Connection);
    }

    private void logUnseenRefusal(ProtocolSession session) {
        session.removeAttachment(UNSEEN, ProtocolSession.State.Connection)
            .ifPresent(unseen -> log(session, unseen.rule, unseen.reply));
    }

    private void log(ProtocolSession session, String rule, Response response) {
        String client = SessionState.clientAddress((SMTPSession) session);
        if (lines.add(client, 1, MINUTE).count() > maxLinesPerMinute
                || lines.add(TOTAL, 1, MINUTE).count() > maxLinesPerMinuteInTotal) {
            suppressed.asMap().computeIfAbsent(client, any -> new AtomicLong()).incrementAndGet();
            return;
        }
        AtomicLong count = suppressed.asMap().remove(client);
        if (count != null) {
            REFUSALS.info("refusals suppressed client={} listener={} count={}", client, listenerName, count.get());
        }
        REFUSALS.info("refused rule={} reply=\"{}\" user={} client={} listener={}", rule, replyLine(response),
            session.getUsername() == null ? "-" : SubmissionRepliesText.printable(session.getUsername().asString(), 100),
            client, listenerName);
    }

    /**
     * James hands a command's reply to the result handlers twice: first from the command dispatcher, with the command
     * handler that answered, then from the connection, with the line handler. The second pass of the same reply is
     * skipped; a reply that only the connection hands over (e.g. the last line of an AUTH exchange) is logged.
     */
    private static boolean alreadySeen(ProtocolSession session, Response response, ProtocolHandler handler) {
        Optional<LastReply> pending = session.removeAttachment(LAST_REPLY, ProtocolSession.State.Connection);
        if (handler instanceof CommandHandler) {
            session.setAttachment(LAST_REPLY, new LastReply(response), ProtocolSession.State.Connection);
            return false;
        }
        return pending.isPresent() && pending.get().response == response;
    }

    /** A refusal no result handler saw, with the rule that made it. */
    private static final class UnseenRefusal {
        private final Response reply;
        private final String rule;

        UnseenRefusal(Response reply, String rule) {
            this.reply = reply;
            this.rule = rule;
        }
    }

    /** The reply a command handler gave, awaiting its second pass; compared by identity. */
    private static final class LastReply {
        private final Response response;

        LastReply(Response response) {
            this.response = response;
        }
    }

    private static String replyLine(Response response) {
        if (response instanceof DelayedReplies.Pending) {
            return replyLine(((DelayedReplies.Pending) response).reply());
        }
        List<CharSequence> replyLines = response.getLines();
        String first = replyLines.isEmpty() ? response.getRetCode() : replyLines.get(0).toString();
        return SubmissionRepliesText.printable(first, MAX_REPLY_TEXT).replace('"', '\'');
    }

    private static String handlerName(ProtocolHandler handler) {
        if (handler == null) {
            return "-";
        }
        String name = handler.getClass().getName();
        return name.substring(name.lastIndexOf('.') + 1);
    }
}
