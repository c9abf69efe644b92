package org.msa4james.smtp;

import java.util.Map;
import java.util.Set;

import javax.inject.Inject;
import javax.mail.internet.AddressException;

import org.apache.commons.configuration2.Configuration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.james.core.Domain;
import org.apache.james.core.MailAddress;
import org.apache.james.core.MaybeSender;
import org.apache.james.domainlist.api.DomainList;
import org.apache.james.domainlist.api.DomainListException;
import org.apache.james.protocols.api.ProtocolSession.State;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.core.RcptCmdHandler;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.MailHook;
import org.apache.james.protocols.smtp.hook.RcptHook;
import org.msa4james.address.DomainQualification;
import org.msa4james.address.DomainQualifier;
import org.msa4james.diagnostics.ClientDiagnostics;
import org.msa4james.diagnostics.Defect;
import org.msa4james.smtp.reply.SubmissionReplies;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RFC 6409 section 4.2: every domain of the envelope is fully qualified.
 *
 * <p>A single-label domain with a configured expansion is replaced in the envelope ("bob@sales" becomes
 * "bob@sales.example.test") before James's later hooks and the spool see it; any other domain that is not fully
 * qualified is refused with {@code 554}, enhanced code 5.1.8 for the sender and 5.1.2 for a recipient.</p>
 *
 * <p>Parameters: {@code domainExpansions} ({@code label=domain} pairs separated by commas, default none),
 * {@code additionalTopLevelDomains} (site-specific top-level labels accepted as qualified, default none).</p>
 */
public class QualifiedEnvelopeHook implements MailHook, RcptHook {
    private static final Logger LOGGER = LoggerFactory.getLogger(QualifiedEnvelopeHook.class);
    static final String DOMAIN_EXPANSIONS = "domainExpansions";
    static final String ADDITIONAL_TOP_LEVEL_DOMAINS = "additionalTopLevelDomains";

    private final DomainList domainList;
    private DomainQualifier qualifier;
    private final ClientDiagnostics diagnostics;

    public QualifiedEnvelopeHook(DomainList domainList) {
        this(domainList, ClientDiagnostics.discarding());
    }

    @Inject
    public QualifiedEnvelopeHook(DomainList domainList, ClientDiagnostics diagnostics) {
        this.diagnostics = diagnostics;
        this.domainList = domainList;
        this.qualifier = qualifier(Map.of(), Set.of());
    }

    @Override
    public void init(Configuration config) throws ConfigurationException {
        HandlerParameters parameters = HandlerParameters.of(config, QualifiedEnvelopeHook.class,
            DOMAIN_EXPANSIONS, ADDITIONAL_TOP_LEVEL_DOMAINS);
        Map<String, String> expansions = parameters.parsed(DOMAIN_EXPANSIONS, DomainQualifier::parseExpansions);
        Set<String> topLevelDomains = parameters.parsed(ADDITIONAL_TOP_LEVEL_DOMAINS, DomainQualifier::parseTopLevelDomains);
        qualifier = qualifier(expansions, topLevelDomains);
        LOGGER.info("Envelope domains must be fully qualified; expansions {}, additional top-level domains {}",
            expansions, topLevelDomains);
    }

    private DomainQualifier qualifier(Map<String, String> expansions, Set<String> topLevelDomains) {
        return new DomainQualifier(expansions, topLevelDomains, this::isLocalDomain);
    }

    private boolean isLocalDomain(String domain) {
        try {
            return domainList.containsDomain(Domain.of(domain));
        } catch (DomainListException e) {
            throw new LocalDomainLookupException(e);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    @Override
    public HookResult doMail(SMTPSession session, MaybeSender sender) {
        if (sender.isNullSender()) {
            return HookResult.DECLINED;
        }
        MailAddress address = sender.get();
        try {
            DomainQualification qualification = qualifier.qualify(address.getDomain().asString());
            switch (qualification.verdict()) {
                case QUALIFIED:
                    return HookResult.DECLINED;
                case EXPANDED:
                    SessionDiagnostics.record(diagnostics, Defect.UNQUALIFIED_DOMAIN, session);
                    MailAddress expanded = new MailAddress(address.getLocalPart(), qualification.domain());
                    session.setAttachment(SMTPSession.SENDER, MaybeSender.of(expanded), State.Transaction);
                    return HookResult.DECLINED;
                default:
                    SessionDiagnostics.record(diagnostics, Defect.UNQUALIFIED_DOMAIN, session);
                    LOGGER.debug("Refused MAIL FROM with unqualified domain {} from {}", qualification.domain(), SessionState.clientAddress(session));
                    SessionState.forgetSender(session);
                    return SubmissionReplies.senderDomainNotQualified(qualification.domain());
            }
        } catch (LocalDomainLookupException | AddressException e) {
            LOGGER.error("Could not qualify the sender domain {}", address.getDomain().asString(), e);
            SessionState.forgetSender(session);
            return SubmissionReplies.TEMPORARY_FAILURE;
        }
    }

    @Override
    public HookResult doRcpt(SMTPSession session, MaybeSender sender, MailAddress rcpt) {
        try {
            DomainQualification qualification = qualifier.qualify(rcpt.getDomain().asString());
            switch (qualification.verdict()) {
                case QUALIFIED:
                    return HookResult.DECLINED;
                case EXPANDED:
                    SessionDiagnostics.record(diagnostics, Defect.UNQUALIFIED_DOMAIN, session);
                    MailAddress expanded = new MailAddress(rcpt.getLocalPart(), qualification.domain());
                    session.setAttachment(RcptCmdHandler.CURRENT_RECIPIENT, expanded, State.Transaction);
                    return HookResult.DECLINED;
                default:
                    SessionDiagnostics.record(diagnostics, Defect.UNQUALIFIED_DOMAIN, session);
                    LOGGER.debug("Refused RCPT TO with unqualified domain {} from {}", qualification.domain(), SessionState.clientAddress(session));
                    return SubmissionReplies.recipientDomainNotQualified(qualification.domain());
            }
        } catch (LocalDomainLookupException | AddressException e) {
            LOGGER.error("Could not qualify the recipient domain {}", rcpt.getDomain().asString(), e);
            return SubmissionReplies.TEMPORARY_FAILURE;
        }
    }

    /** Carries a DomainListException through the qualifier's predicate. */
    private static final class LocalDomainLookupException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        LocalDomainLookupException(DomainListException cause) {
            super(cause);
        }
    }
}
