package org.msa4james.smtp;

import java.util.Collection;
import java.util.Set;

import javax.inject.Inject;

import org.apache.james.protocols.api.Request;
import org.apache.james.protocols.api.Response;
import org.apache.james.protocols.api.handler.CommandHandler;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.commons.configuration2.Configuration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.msa4james.diagnostics.ClientDiagnostics;
import org.msa4james.diagnostics.Defect;
import org.msa4james.smtp.reply.SubmissionReplies;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refuses AUTH on a connection that is not encrypted (RFC 8314, RFC 4954 section 4), before any credential is
 * read or checked.
 *
 * <p>James 3.8.1 with {@code requireSSL} only hides AUTH from the EHLO reply: a client that sends
 * {@code AUTH PLAIN} in clear text anyway is authenticated, and its password has crossed the network in clear.
 * Configured before James's core handlers, this handler answers first; on an encrypted connection it has no
 * opinion and James's own AUTH handler runs.</p>
 */
public class RequireTlsForAuthCmdHandler implements CommandHandler<SMTPSession> {
    private static final Logger LOGGER = LoggerFactory.getLogger(RequireTlsForAuthCmdHandler.class);
    private static final Set<String> COMMANDS = Set.of("AUTH");

    private final ClientDiagnostics diagnostics;

    public RequireTlsForAuthCmdHandler() {
        this(ClientDiagnostics.discarding());
    }

    @Inject
    public RequireTlsForAuthCmdHandler(ClientDiagnostics diagnostics) {
        this.diagnostics = diagnostics;
    }

    @Override
    public void init(Configuration config) throws ConfigurationException {
        HandlerParameters.of(config, RequireTlsForAuthCmdHandler.class);
    }

    @Override
    public Response onCommand(SMTPSession session, Request request) {
        if (session.isTLSStarted()) {
            return null;
        }
        SessionDiagnostics.record(diagnostics, Defect.AUTH_WITHOUT_TLS, session);
        LOGGER.debug("Refused AUTH without TLS from {}", SessionState.clientAddress(session));
        return SubmissionReplies.ENCRYPTION_REQUIRED_FOR_AUTH;
    }

    @Override
    public Collection<String> getImplCommands() {
        return COMMANDS;
    }
}
