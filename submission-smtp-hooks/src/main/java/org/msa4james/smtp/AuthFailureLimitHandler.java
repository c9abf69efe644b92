package org.msa4james.smtp;

import java.time.Duration;
import java.util.Collection;
import java.util.Set;

import javax.inject.Inject;

import org.apache.commons.configuration2.Configuration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.james.core.Username;
import org.apache.james.protocols.api.OidcSASLConfiguration;
import org.apache.james.protocols.api.ProtocolSession;
import org.apache.james.protocols.api.ProtocolSession.AttachmentKey;
import org.apache.james.protocols.api.ProtocolSession.State;
import org.apache.james.protocols.api.Request;
import org.apache.james.protocols.api.Response;
import org.apache.james.protocols.api.handler.CommandHandler;
import org.apache.james.protocols.api.handler.DisconnectHandler;
import org.apache.james.protocols.api.handler.ProtocolHandler;
import org.apache.james.protocols.api.handler.ProtocolHandlerResultHandler;
import org.apache.james.protocols.smtp.SMTPResponse;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.AuthHook;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.msa4james.abuse.AuthFailureCounter;
import org.msa4james.abuse.AuthFailureKeys;
import org.msa4james.abuse.Durations;
import org.msa4james.abuse.InMemoryAuthFailureCounter;
import org.msa4james.abuse.WindowCount;
import org.msa4james.diagnostics.ClientDiagnostics;
import org.msa4james.diagnostics.Defect;
import org.msa4james.smtp.reply.AbuseReplies;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Slows password guessing. Failed AUTH are counted per client address and per (client address, user) in an
 * {@link AuthFailureCounter} shared by the listeners. Once a client address has {@code maxAuthFailures} failures in
 * {@code authFailureWindow}, every further AUTH from it is answered {@code 454 4.7.0} (RFC 4954: temporary
 * authentication failure) before any credential is read, until the window ends; a correct password of the same user
 * from another address still works. After {@code maxSessionAuthFailures} failed or refused AUTH in one session the next
 * AUTH gets {@code 421 4.7.0} and the connection is closed.
 *
 * <p>James 3.8.1 gives no handler the outcome of AUTH (its AuthCmdHandler calls no HookResultHook, and the reply to
 * AUTH LOGIN's last line passes no result handler). So the attempt (with the user name James decoded) is noted when
 * James asks this handler, as an authentication hook that declines, and settled on the next reply of the session, the
 * next AUTH, or at disconnection: an attempt that left the session without a user failed. A failure is also recorded
 * as {@code auth-failed} in the client diagnostics, for the client address (never the user name tried). Configure it
 * before James's core handlers (its AUTH command handler must answer before James's) and before the
 * {@link RefusalLogHandler}.
 *
 * <p>The 454 is written after {@code authFailureDelay} (default 3 s, {@code 0} for none), through {@link DelayedReplies}:
 * the connection is not read during the pause, and James's IO thread is not held, so other clients are served
 * meanwhile. A failed AUTH whose {@code 535} James wrote from its own line handler (AUTH LOGIN, or AUTH PLAIN without an
 * initial response), which no result handler sees, is handed to the {@link RefusalLogHandler} when it is settled, so
 * that every failed AUTH has its line in the refusal log.</p>
 */
public class AuthFailureLimitHandler implements CommandHandler<SMTPSession>, AuthHook,
        ProtocolHandlerResultHandler<Response, ProtocolSession>, DisconnectHandler<ProtocolSession> {
    static final String MAX_AUTH_FAILURES = "maxAuthFailures";
    static final String AUTH_FAILURE_WINDOW = "authFailureWindow";
    static final String MAX_SESSION_AUTH_FAILURES = "maxSessionAuthFailures";
    static final String AUTH_FAILURE_DELAY = "authFailureDelay";
    static final int DEFAULT_MAX_AUTH_FAILURES = 5;
    static final Duration DEFAULT_AUTH_FAILURE_WINDOW = Duration.ofMinutes(10);
    static final int DEFAULT_MAX_SESSION_AUTH_FAILURES = 3;
    static final Duration DEFAULT_AUTH_FAILURE_DELAY = Duration.ofSeconds(3);
    static final Duration MAX_AUTH_FAILURE_DELAY = Duration.ofSeconds(60);
    static final String RULE = "auth-failure-limit";

    private static final Logger LOGGER = LoggerFactory.getLogger(AuthFailureLimitHandler.class);
    private static final Set<String> COMMANDS = Set.of("AUTH");
    private static final String UNKNOWN_USER = "";
    private static final String AUTH_FAILED_CODE = "535";
    /** The reply of James 3.8.1's AuthCmdHandler to a failed AUTH, as it writes it. */
    private static final Response JAMES_AUTH_FAILED = new SMTPResponse(AUTH_FAILED_CODE, "Authentication Failed").immutable();
    private static final AttachmentKey<String> ATTEMPT = AttachmentKey.of("msa4james.abuse.authAttempt", String.class);
    private static final AttachmentKey<Integer> SESSION_FAILURES = AttachmentKey.of("msa4james.abuse.sessionAuthFailures", Integer.class);

    private final AuthFailureCounter counter;
    private final ClientDiagnostics diagnostics;
    private final DelayedReplies delayedReplies;
    private Duration delay = DEFAULT_AUTH_FAILURE_DELAY;
    private int maxAuthFailures = DEFAULT_MAX_AUTH_FAILURES;
    private Duration window = DEFAULT_AUTH_FAILURE_WINDOW;
    private int maxSessionAuthFailures = DEFAULT_MAX_SESSION_AUTH_FAILURES;

    public AuthFailureLimitHandler() {
        this(new InMemoryAuthFailureCounter(), ClientDiagnostics.discarding());
    }

    @Inject
    public AuthFailureLimitHandler(AuthFailureCounter counter, ClientDiagnostics diagnostics) {
        this(counter, diagnostics, DelayedReplies.shared());
    }

    AuthFailureLimitHandler(AuthFailureCounter counter, ClientDiagnostics diagnostics, DelayedReplies delayedReplies) {
        this.counter = counter;
        this.diagnostics = diagnostics;
        this.delayedReplies = delayedReplies;
    }

    @Override
    public void init(Configuration config) throws ConfigurationException {
        HandlerParameters parameters = HandlerParameters.of(config, AuthFailureLimitHandler.class,
            MAX_AUTH_FAILURES, AUTH_FAILURE_WINDOW, MAX_SESSION_AUTH_FAILURES, AUTH_FAILURE_DELAY);
        maxAuthFailures = parameters.positiveInt(MAX_AUTH_FAILURES, DEFAULT_MAX_AUTH_FAILURES);
        maxSessionAuthFailures = parameters.positiveInt(MAX_SESSION_AUTH_FAILURES, DEFAULT_MAX_SESSION_AUTH_FAILURES);
        window = parameters.optionalString(AUTH_FAILURE_WINDOW).isPresent()
            ? parameters.parsed(AUTH_FAILURE_WINDOW, Durations::parse)
            : DEFAULT_AUTH_FAILURE_WINDOW;
        delay = parameters.optionalString(AUTH_FAILURE_DELAY).isPresent()
            ? parameters.parsed(AUTH_FAILURE_DELAY, AuthFailureLimitHandler::parseDelay)
            : DEFAULT_AUTH_FAILURE_DELAY;
        LOGGER.info("At most {} failed AUTH per client address in {}, {} per session; the refusal past the limit waits {}",
            maxAuthFailures, window, maxSessionAuthFailures, delay);
    }

    /** {@code 0} (or {@code 0s}) answers at once; otherwise a duration of at most 60 s, e.g. {@code 3s}. */
    private static Duration parseDelay(String value) {
        String trimmed = value.trim();
        if (trimmed.equals("0") || trimmed.equals("0s")) {
            return Duration.ZERO;
        }
        Duration parsed = Durations.parse(trimmed);
        if (parsed.compareTo(MAX_AUTH_FAILURE_DELAY) > 0) {
            throw new IllegalArgumentException("must be at most 60s, not '" + value + "'");
        }
        return parsed;
    }

    @Override
    public Collection<String> getImplCommands() {
        return COMMANDS;
    }

    /** Before James reads any credential: refuse AUTH from an address over its limit, or in a session with too many failures. */
    @Override
    public Response onCommand(SMTPSession session, Request request) {
        // The reply to AUTH LOGIN's last line reaches no result handler: settle a pending attempt before judging.
        settle(session, null);
        int sessionFailures = sessionFailures(session);
        if (sessionFailures >= maxSessionAuthFailures) {
            RefusalRule.name(session, RULE);
            LOGGER.debug("Closing session from {} after {} failed AUTH", SessionState.clientAddress(session), sessionFailures);
            return AbuseReplies.closingAfterAuthFailures(sessionFailures);
        }
        String address = SessionState.clientAddress(session);
        WindowCount failures = counter.get(AuthFailureKeys.address(address), window);
        if (failures.count() >= maxAuthFailures) {
            session.setAttachment(SESSION_FAILURES, sessionFailures + 1, State.Connection);
            RefusalRule.name(session, RULE);
            SessionDiagnostics.record(diagnostics, Defect.RATE_LIMITED, session);
            return delayedReplies.delay(session, AbuseReplies.tooManyAuthFailures(address), delay);
        }
        return null;
    }

    @Override
    public HookResult doAuth(SMTPSession session, Username username, String password) {
        session.setAttachment(ATTEMPT, username == null ? UNKNOWN_USER : username.asString(), State.Connection);
        return HookResult.DECLINED;
    }

    @Override
    public HookResult doSasl(SMTPSession session, OidcSASLConfiguration configuration, String initialResponse) {
        session.setAttachment(ATTEMPT, UNKNOWN_USER, State.Connection);
        return HookResult.DECLINED;
    }

    @Override
    public Response onResponse(ProtocolSession session, Response response, long executionTime, ProtocolHandler handler) {
        settle(session, response);
        return response;
    }

    @Override
    public void onDisconnect(ProtocolSession session) {
        if (session != null) {
            settle(session, null);
        }
    }

    /**
     * Decides a pending attempt. {@code reply} is the reply the result handlers are being shown, if any: when it is
     * the {@code 535} of the attempt, the refusal log sees it; otherwise James wrote the {@code 535} from its line
     * handler, unseen, and the refusal log is told of it.
     */
    private void settle(ProtocolSession session, Response reply) {
        if (!(session instanceof SMTPSession)) {
            return;
        }
        String user = session.getAttachment(ATTEMPT, State.Connection).orElse(null);
        if (user == null) {
            return;
        }
        session.removeAttachment(ATTEMPT, State.Connection);
        if (session.getUsername() != null) {
            return;
        }
        SMTPSession smtpSession = (SMTPSession) session;
        String address = SessionState.clientAddress(smtpSession);
        session.setAttachment(SESSION_FAILURES, sessionFailures(smtpSession) + 1, State.Connection);
        long byAddress = counter.add(AuthFailureKeys.address(address), 1, window).count();
        long byUser = user.isEmpty() ? 0 : counter.add(AuthFailureKeys.addressAndUser(address, user), 1, window).count();
        LOGGER.debug("Failed AUTH from {}: {} from this address, {} for this user", address, byAddress, byUser);
        SessionDiagnostics.record(diagnostics, Defect.AUTH_FAILED, smtpSession);
        if (reply == null || !AUTH_FAILED_CODE.equals(reply.getRetCode())) {
            RefusalLogHandler.reportUnseenRefusal(session, JAMES_AUTH_FAILED, "AuthCmdHandler");
        }
    }

    private static int sessionFailures(ProtocolSession session) {
        return session.getAttachment(SESSION_FAILURES, State.Connection).orElse(0);
    }
}
