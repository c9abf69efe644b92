package org.msa4james.smtp;

import javax.inject.Inject;

import org.apache.commons.configuration2.Configuration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.james.core.MailAddress;
import org.apache.james.core.MaybeSender;
import org.apache.james.domainlist.api.DomainList;
import org.apache.james.domainlist.api.DomainListException;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.MailHook;
import org.apache.james.protocols.smtp.hook.RcptHook;
import org.msa4james.network.TrustedNetworks;
import org.msa4james.smtp.reply.SubmissionReplies;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RFC 6409 section 4.3: MAIL is refused with {@code 530 5.7.0} unless the session is authenticated or the client
 * is in one of the listener's trusted networks.
 *
 * <p>A client of a trusted network is authorised as an authenticated one is: it may also relay to other domains
 * (James's relay check reads the session's relaying flag, which this hook sets for it).</p>
 *
 * <p>With {@code postmasterWithoutAuthentication} (RFC 6409 section 6.4, off by default), an unauthenticated
 * session may give MAIL, but its only acceptable recipient is the postmaster of a local domain.</p>
 *
 * <p>Parameters: {@code trustedNetworks} (IP addresses and CIDR networks separated by commas, default none),
 * {@code postmasterWithoutAuthentication} (true or false, default false).</p>
 */
public class RequireAuthenticationHook implements MailHook, RcptHook {
    private static final Logger LOGGER = LoggerFactory.getLogger(RequireAuthenticationHook.class);
    static final String TRUSTED_NETWORKS = "trustedNetworks";
    static final String POSTMASTER_WITHOUT_AUTHENTICATION = "postmasterWithoutAuthentication";

    private final DomainList domainList;
    private TrustedNetworks trustedNetworks = TrustedNetworks.none();
    private boolean postmasterWithoutAuthentication = false;

    @Inject
    public RequireAuthenticationHook(DomainList domainList) {
        this.domainList = domainList;
    }

    @Override
    public void init(Configuration config) throws ConfigurationException {
        HandlerParameters parameters = HandlerParameters.of(config, RequireAuthenticationHook.class,
            TRUSTED_NETWORKS, POSTMASTER_WITHOUT_AUTHENTICATION);
        trustedNetworks = parameters.parsed(TRUSTED_NETWORKS, TrustedNetworks::parse);
        postmasterWithoutAuthentication = parameters.booleanValue(POSTMASTER_WITHOUT_AUTHENTICATION, false);
        LOGGER.info("Submission requires authentication; trusted networks {}, postmaster without authentication {}",
            trustedNetworks, postmasterWithoutAuthentication);
    }

    @Override
    public HookResult doMail(SMTPSession session, MaybeSender sender) {
        if (session.getUsername() == null && isTrusted(session)) {
            session.setRelayingAllowed(true);
        }
        if (isAuthorized(session) || postmasterWithoutAuthentication) {
            return HookResult.DECLINED;
        }
        LOGGER.debug("Refused MAIL without authentication from {}", SessionState.clientAddress(session));
        SessionState.forgetSender(session);
        return SubmissionReplies.AUTHENTICATION_REQUIRED;
    }

    @Override
    public HookResult doRcpt(SMTPSession session, MaybeSender sender, MailAddress rcpt) {
        if (isAuthorized(session)) {
            return HookResult.DECLINED;
        }
        try {
            if (LocalPostmasterRcptHook.isLocalPostmaster(domainList, rcpt)) {
                return HookResult.DECLINED;
            }
        } catch (DomainListException | RuntimeException e) {
            LOGGER.error("Could not tell whether {} is a local domain", rcpt.getDomain().asString(), e);
            return SubmissionReplies.TEMPORARY_FAILURE;
        }
        LOGGER.debug("Refused RCPT without authentication from {}", SessionState.clientAddress(session));
        return SubmissionReplies.AUTHENTICATION_REQUIRED_EXCEPT_POSTMASTER;
    }

    private boolean isAuthorized(SMTPSession session) {
        return session.getUsername() != null || isTrusted(session);
    }

    private boolean isTrusted(SMTPSession session) {
        return trustedNetworks.contains(session.getRemoteAddress().getAddress());
    }
}
