package org.msa4james.smtp;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import javax.mail.internet.AddressException;

import org.apache.commons.configuration2.Configuration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.james.core.MailAddress;
import org.apache.james.protocols.api.ProtocolSession.State;
import org.apache.james.protocols.api.Request;
import org.apache.james.protocols.api.Response;
import org.apache.james.protocols.api.handler.CommandHandler;
import org.apache.james.protocols.smtp.SMTPSession;
import org.msa4james.smtp.reply.SubmissionReplies;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers an RCPT command whose address has invalid syntax with {@code 501 5.1.3} (RFC 6409 section 5.1,
 * RFC 3463 "bad destination mailbox address syntax").
 *
 * <p>James 3.8.1 answers such an address with 553. Configured before James's core handlers, this handler looks
 * at the address first: when it cannot be parsed it answers, otherwise it has no opinion and James's RCPT
 * handler (and its hooks) run as usual. Commands out of sequence or without angle brackets are left to James,
 * which has precise replies for them.</p>
 */
public class RecipientSyntaxCmdHandler implements CommandHandler<SMTPSession> {
    private static final Logger LOGGER = LoggerFactory.getLogger(RecipientSyntaxCmdHandler.class);
    private static final Set<String> COMMANDS = Set.of("RCPT");
    private static final String TO_PREFIX = "TO:";

    @Override
    public void init(Configuration config) throws ConfigurationException {
        HandlerParameters.of(config, RecipientSyntaxCmdHandler.class);
    }

    @Override
    public Response onCommand(SMTPSession session, Request request) {
        if (session.getAttachment(SMTPSession.SENDER, State.Transaction).isEmpty()) {
            return null;
        }
        return bracketedAddress(request.getArgument())
            .filter(address -> address.contains("@"))
            .filter(address -> !isValid(address))
            .map(address -> {
                LOGGER.debug("Refused RCPT with invalid address syntax from {}", SessionState.clientAddress(session));
                return SubmissionReplies.RECIPIENT_SYNTAX_ERROR;
            })
            .orElse(null);
    }

    /** The text between the angle brackets of {@code TO:<...>}, when the argument has that shape. */
    static Optional<String> bracketedAddress(String argument) {
        if (argument == null) {
            return Optional.empty();
        }
        String trimmed = argument.trim();
        if (!trimmed.toUpperCase(Locale.US).startsWith(TO_PREFIX)) {
            return Optional.empty();
        }
        String path = trimmed.substring(TO_PREFIX.length()).trim();
        int close = path.lastIndexOf('>');
        if (!path.startsWith("<") || close < 1) {
            return Optional.empty();
        }
        return Optional.of(path.substring(1, close));
    }

    private static boolean isValid(String address) {
        try {
            new MailAddress(address);
            return true;
        } catch (AddressException | RuntimeException e) {
            return false;
        }
    }

    @Override
    public Collection<String> getImplCommands() {
        return COMMANDS;
    }
}
