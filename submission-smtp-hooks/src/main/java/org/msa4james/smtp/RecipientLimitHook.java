package org.msa4james.smtp;

import org.apache.commons.configuration2.Configuration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.james.core.MailAddress;
import org.apache.james.core.MaybeSender;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.RcptHook;
import org.msa4james.smtp.reply.SubmissionReplies;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RFC 6409 section 6.2: at most {@code maxRecipients} recipients per message (default 100). Each recipient past
 * the limit is answered {@code 452 4.5.3}, a temporary reply, so that a client sends the rest in another
 * transaction (RFC 5321 section 4.5.3.1.10) while the recipients already accepted are kept.
 */
public class RecipientLimitHook implements RcptHook {
    private static final Logger LOGGER = LoggerFactory.getLogger(RecipientLimitHook.class);
    static final String MAX_RECIPIENTS = "maxRecipients";
    static final int DEFAULT_MAX_RECIPIENTS = 100;

    private int maxRecipients = DEFAULT_MAX_RECIPIENTS;

    @Override
    public void init(Configuration config) throws ConfigurationException {
        HandlerParameters parameters = HandlerParameters.of(config, RecipientLimitHook.class, MAX_RECIPIENTS);
        maxRecipients = parameters.positiveInt(MAX_RECIPIENTS, DEFAULT_MAX_RECIPIENTS);
        LOGGER.info("At most {} recipients per submitted message", maxRecipients);
    }

    @Override
    public HookResult doRcpt(SMTPSession session, MaybeSender sender, MailAddress rcpt) {
        if (session.getRcptCount() < maxRecipients) {
            return HookResult.DECLINED;
        }
        LOGGER.debug("Refused recipient past the limit of {} from {}", maxRecipients,
            SessionState.clientAddress(session));
        return SubmissionReplies.tooManyRecipients(maxRecipients);
    }
}
