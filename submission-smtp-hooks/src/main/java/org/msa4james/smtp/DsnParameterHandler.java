package org.msa4james.smtp;

import java.time.Clock;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.apache.commons.configuration2.Configuration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.james.core.MailAddress;
import org.apache.james.core.MaybeSender;
import org.apache.james.protocols.api.ProtocolSession.AttachmentKey;
import org.apache.james.protocols.api.ProtocolSession.State;
import org.apache.james.protocols.api.Request;
import org.apache.james.protocols.api.Response;
import org.apache.james.protocols.api.handler.CommandHandler;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.RcptHook;
import org.apache.james.smtpserver.JamesMessageHook;
import org.apache.mailet.DsnParameters;
import org.apache.mailet.DsnParameters.RecipientDsnParameters;
import org.apache.mailet.Mail;
import org.msa4james.dsn.DsnAttributes;
import org.msa4james.dsn.DsnParameterSyntax;
import org.msa4james.dsn.EnvelopeDsn;
import org.msa4james.dsn.InvalidDsnParameterException;
import org.msa4james.smtp.reply.DsnReplies;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.google.common.collect.ImmutableMap;

/**
 * Accepts the DSN parameters of RFC 3461 and keeps them with the mail: RET and ENVID on MAIL, NOTIFY and ORCPT on
 * RCPT. With James's {@code org.apache.james.smtpserver.dsn.DSNEhloHook}, which announces DSN in the EHLO reply, this
 * is what a listener needs to offer DSN.
 *
 * <ul>
 * <li>MAIL and RCPT (before James's own handlers): a DSN parameter that is malformed or given twice is answered
 * {@code 501 5.5.4} naming the parameter, and the command has no effect; the session goes on. Commands out of sequence
 * are left to James. James 3.8.1's own hooks ignore a malformed RET, throw on a malformed NOTIFY and do not decode
 * ORCPT from xtext.</li>
 * <li>RCPT: NOTIFY and ORCPT are declared supported (James refuses an RCPT parameter no hook supports) and remembered
 * for the recipient.</li>
 * <li>End of DATA: the parameters of the accepted recipients become the mail's {@link DsnParameters} (James's own
 * representation, {@code Mail#setDsnParameters}), and every mail gets its arrival time
 * ({@link DsnAttributes#ARRIVAL_DATE}, the RFC 3464 Arrival-Date of a later report).</li>
 * </ul>
 *
 * <p>No parameter.</p>
 */
public class DsnParameterHandler implements CommandHandler<SMTPSession>, RcptHook, JamesMessageHook {
    private static final Logger LOGGER = LoggerFactory.getLogger(DsnParameterHandler.class);
    private static final String MAIL = "MAIL";
    private static final String RCPT = "RCPT";
    private static final Set<String> COMMANDS = Set.of(MAIL, RCPT);
    private static final Set<String> RCPT_PARAMETERS = Set.of(DsnParameterSyntax.NOTIFY, DsnParameterSyntax.ORCPT);

    static final AttachmentKey<EnvelopeDsn> ENVELOPE = AttachmentKey.of("msa4james.dsn.envelope", EnvelopeDsn.class);
    static final AttachmentKey<RecipientParameters> RECIPIENTS =
        AttachmentKey.of("msa4james.dsn.recipients", RecipientParameters.class);

    private final Clock clock;

    public DsnParameterHandler() {
        this(Clock.systemUTC());
    }

    DsnParameterHandler(Clock clock) {
        this.clock = clock;
    }

    @Override
    public void init(Configuration config) throws ConfigurationException {
        HandlerParameters.of(config, DsnParameterHandler.class);
    }

    @Override
    public Collection<String> getImplCommands() {
        return COMMANDS;
    }

    @Override
    public Response onCommand(SMTPSession session, Request request) {
        boolean inTransaction = session.getAttachment(SMTPSession.SENDER, State.Transaction).isPresent();
        try {
            if (request.getCommand().equalsIgnoreCase(MAIL)) {
                if (inTransaction) {
                    return null;
                }
                // every MAIL replaces what an earlier, refused MAIL of the transaction left, even when it is refused here
                session.setAttachment(ENVELOPE, EnvelopeDsn.none(), State.Transaction);
                EnvelopeDsn envelope = DsnParameterSyntax.mail(request.getArgument());
                session.setAttachment(ENVELOPE, envelope, State.Transaction);
            } else if (inTransaction) {
                DsnParameterSyntax.recipient(request.getArgument());
            }
            return null;
        } catch (InvalidDsnParameterException e) {
            LOGGER.debug("Refused {} with a bad DSN parameter from {}: {}", request.getCommand(),
                SessionState.clientAddress(session), e.getMessage());
            return e.isRepeated() ? DsnReplies.repeatedParameter(e.parameter())
                : DsnReplies.invalidParameter(e.parameter(), e.problem());
        }
    }

    @Override
    public Set<String> supportedParameters() {
        return RCPT_PARAMETERS;
    }

    @Override
    public HookResult doRcpt(SMTPSession session, MaybeSender sender, MailAddress rcpt, Map<String, String> parameters) {
        try {
            Optional<RecipientDsnParameters> recipientParameters = DsnParameterSyntax.recipient(parameters);
            RecipientParameters known = session.getAttachment(RECIPIENTS, State.Transaction).orElse(RecipientParameters.NONE);
            session.setAttachment(RECIPIENTS, known.with(rcpt, recipientParameters), State.Transaction);
        } catch (InvalidDsnParameterException e) {
            // onCommand refused such an RCPT already; nothing is kept for it
            LOGGER.debug("Ignored a bad DSN parameter of RCPT {}: {}", rcpt.asString(), e.getMessage());
        }
        return HookResult.DECLINED;
    }

    @Override
    public HookResult onMessage(SMTPSession session, Mail mail) {
        DsnAttributes.setInstant(mail, DsnAttributes.ARRIVAL_DATE, clock.instant());
        EnvelopeDsn envelope = session.getAttachment(ENVELOPE, State.Transaction).orElse(EnvelopeDsn.none());
        Map<MailAddress, RecipientDsnParameters> recipients = session.getAttachment(RECIPIENTS, State.Transaction)
            .orElse(RecipientParameters.NONE)
            .of(mail.getRecipients());
        DsnParameters.of(envelope.envId(), envelope.ret(), ImmutableMap.copyOf(recipients))
            .ifPresent(mail::setDsnParameters);
        return HookResult.DECLINED;
    }

    /** NOTIFY and ORCPT of the recipients of a transaction; the last RCPT of an address wins. Immutable. */
    static final class RecipientParameters {
        static final RecipientParameters NONE = new RecipientParameters(ImmutableMap.of());

        private final ImmutableMap<MailAddress, RecipientDsnParameters> parameters;

        private RecipientParameters(ImmutableMap<MailAddress, RecipientDsnParameters> parameters) {
            this.parameters = parameters;
        }

        RecipientParameters with(MailAddress recipient, Optional<RecipientDsnParameters> recipientParameters) {
            Map<MailAddress, RecipientDsnParameters> updated = new LinkedHashMap<>(parameters);
            updated.remove(recipient);
            recipientParameters.ifPresent(value -> updated.put(recipient, value));
            return new RecipientParameters(ImmutableMap.copyOf(updated));
        }

        /** The parameters of these recipients (those the message was accepted for). */
        Map<MailAddress, RecipientDsnParameters> of(Collection<MailAddress> recipients) {
            Map<MailAddress, RecipientDsnParameters> result = new LinkedHashMap<>();
            for (MailAddress recipient : recipients) {
                RecipientDsnParameters value = parameters.get(recipient);
                if (value != null) {
                    result.put(recipient, value);
                }
            }
            return result;
        }
    }
}
