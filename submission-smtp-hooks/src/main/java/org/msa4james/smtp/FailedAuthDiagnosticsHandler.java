package org.msa4james.smtp;

import javax.inject.Inject;

import org.apache.commons.configuration2.Configuration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.james.core.Username;
import org.apache.james.protocols.api.OidcSASLConfiguration;
import org.apache.james.protocols.api.ProtocolSession;
import org.apache.james.protocols.api.ProtocolSession.AttachmentKey;
import org.apache.james.protocols.api.ProtocolSession.State;
import org.apache.james.protocols.api.Response;
import org.apache.james.protocols.api.handler.DisconnectHandler;
import org.apache.james.protocols.api.handler.ProtocolHandler;
import org.apache.james.protocols.api.handler.ProtocolHandlerResultHandler;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.AuthHook;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.msa4james.diagnostics.ClientDiagnostics;
import org.msa4james.diagnostics.Defect;

/**
 * Counts failed AUTH in the client diagnostics. James 3.8.1 gives no handler the outcome of AUTH (its AuthCmdHandler
 * never calls the HookResultHooks, and the reply to AUTH LOGIN's last line passes no result handler), so this handler
 * notes an attempt when James asks it, as the first authentication hook of the chain (the msa4james handlers come
 * before James's own), and declines; after the next reply of the session, or at disconnection, an attempt that left
 * the session without a user failed. The subject is the client address: the session has no user, and the user name
 * a client tried is not recorded. It never changes a reply. Takes no parameter.
 */
public class FailedAuthDiagnosticsHandler implements AuthHook, ProtocolHandlerResultHandler<Response, ProtocolSession>,
        DisconnectHandler<ProtocolSession> {
    private static final AttachmentKey<Boolean> ATTEMPT = AttachmentKey.of("msa4james.diagnostics.authAttempt", Boolean.class);

    private final ClientDiagnostics diagnostics;

    @Inject
    public FailedAuthDiagnosticsHandler(ClientDiagnostics diagnostics) {
        this.diagnostics = diagnostics;
    }

    @Override
    public void init(Configuration config) throws ConfigurationException {
        HandlerParameters.of(config, FailedAuthDiagnosticsHandler.class);
    }

    @Override
    public HookResult doAuth(SMTPSession session, Username username, String password) {
        session.setAttachment(ATTEMPT, Boolean.TRUE, State.Connection);
        return HookResult.DECLINED;
    }

    @Override
    public HookResult doSasl(SMTPSession session, OidcSASLConfiguration configuration, String initialResponse) {
        session.setAttachment(ATTEMPT, Boolean.TRUE, State.Connection);
        return HookResult.DECLINED;
    }

    @Override
    public Response onResponse(ProtocolSession session, Response response, long executionTime, ProtocolHandler handler) {
        settle(session);
        return response;
    }

    @Override
    public void onDisconnect(ProtocolSession session) {
        if (session != null) {
            settle(session);
        }
    }

    private void settle(ProtocolSession session) {
        if (!(session instanceof SMTPSession) || session.getAttachment(ATTEMPT, State.Connection).isEmpty()) {
            return;
        }
        session.removeAttachment(ATTEMPT, State.Connection);
        if (session.getUsername() == null) {
            SessionDiagnostics.record(diagnostics, Defect.AUTH_FAILED, (SMTPSession) session);
        }
    }
}
