package org.msa4james.smtp;

import javax.inject.Inject;

import org.apache.commons.configuration2.Configuration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.james.core.MailAddress;
import org.apache.james.core.MaybeSender;
import org.apache.james.core.Username;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.MailHook;
import org.apache.james.rrt.api.CanSendFrom;
import org.msa4james.smtp.reply.SubmissionReplies;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RFC 6409 section 6.1: an authenticated user's envelope sender must be an address the user may use — the
 * user's own address, or an alias of it in James's recipient rewrite table (address and domain aliases), as
 * James's {@link CanSendFrom} decides. Anything else is refused with {@code 550 5.7.1}.
 *
 * <p>The null sender {@code MAIL FROM:<>} is accepted (RFC 6409 section 3.2): James's own {@code verifyIdentity}
 * refuses it, so that check is off on the submission listeners and this hook replaces it. Unauthenticated
 * sessions (trusted networks) are not checked here. No parameters.</p>
 */
public class SenderEntitlementHook implements MailHook {
    private static final Logger LOGGER = LoggerFactory.getLogger(SenderEntitlementHook.class);

    private final CanSendFrom canSendFrom;

    @Inject
    public SenderEntitlementHook(CanSendFrom canSendFrom) {
        this.canSendFrom = canSendFrom;
    }

    @Override
    public void init(Configuration config) throws ConfigurationException {
        HandlerParameters.of(config, SenderEntitlementHook.class);
    }

    @Override
    public HookResult doMail(SMTPSession session, MaybeSender sender) {
        Username user = session.getUsername();
        if (user == null || sender.isNullSender()) {
            return HookResult.DECLINED;
        }
        MailAddress address = sender.get();
        boolean entitled;
        try {
            entitled = canSendFrom.userCanSendFrom(user, Username.fromMailAddress(address));
        } catch (RuntimeException e) {
            LOGGER.error("Could not tell whether {} may send from {}", user.asString(), address.asString(), e);
            SessionState.forgetSender(session);
            return SubmissionReplies.TEMPORARY_FAILURE;
        }
        if (entitled) {
            return HookResult.DECLINED;
        }
        LOGGER.debug("Refused MAIL FROM:<{}> for user {} from {}", address.asString(), user.asString(),
            SessionState.clientAddress(session));
        SessionState.forgetSender(session);
        return SubmissionReplies.senderNotEntitled(address, user);
    }
}
