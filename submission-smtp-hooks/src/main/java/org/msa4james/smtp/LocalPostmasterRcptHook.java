package org.msa4james.smtp;

import java.util.Locale;

import javax.inject.Inject;

import org.apache.commons.configuration2.Configuration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.james.core.MailAddress;
import org.apache.james.core.MaybeSender;
import org.apache.james.domainlist.api.DomainList;
import org.apache.james.domainlist.api.DomainListException;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.RcptHook;
import org.msa4james.smtp.reply.SubmissionReplies;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts the recipient {@code postmaster@<local domain>} (RFC 5321 section 4.5.1: every domain a server serves
 * accepts mail for its postmaster), even when no user or alias of that name exists.
 *
 * <p>Placed before James's {@code ValidRcptHandler}, which would refuse it as an unknown user. Unlike James's
 * {@code PostmasterAbuseRcptHook}, it says nothing of the postmaster of another domain, so the relay checks still
 * apply to those. In the mail processing, James's {@code PostmasterAlias} mailet hands the mail to the postmaster
 * address of the mailet container. No parameters.</p>
 */
public class LocalPostmasterRcptHook implements RcptHook {
    private static final Logger LOGGER = LoggerFactory.getLogger(LocalPostmasterRcptHook.class);
    private static final String POSTMASTER = "postmaster";

    private final DomainList domainList;

    @Inject
    public LocalPostmasterRcptHook(DomainList domainList) {
        this.domainList = domainList;
    }

    @Override
    public void init(Configuration config) throws ConfigurationException {
        HandlerParameters.of(config, LocalPostmasterRcptHook.class);
    }

    /** Whether the address is the postmaster (any case) of a domain this server serves. */
    static boolean isLocalPostmaster(DomainList domainList, MailAddress address) throws DomainListException {
        return address.getLocalPart().toLowerCase(Locale.ROOT).equals(POSTMASTER)
            && domainList.containsDomain(address.getDomain());
    }

    @Override
    public HookResult doRcpt(SMTPSession session, MaybeSender sender, MailAddress rcpt) {
        try {
            if (isLocalPostmaster(domainList, rcpt)) {
                return HookResult.OK;
            }
            return HookResult.DECLINED;
        } catch (DomainListException | RuntimeException e) {
            LOGGER.error("Could not tell whether {} is a local domain", rcpt.getDomain().asString(), e);
            return SubmissionReplies.TEMPORARY_FAILURE;
        }
    }
}
