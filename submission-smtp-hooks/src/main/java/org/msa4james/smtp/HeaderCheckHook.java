package org.msa4james.smtp;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import javax.inject.Inject;
import javax.mail.MessagingException;
import javax.mail.internet.AddressException;

import org.apache.commons.configuration2.Configuration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.james.core.Domain;
import org.apache.james.core.MailAddress;
import org.apache.james.core.Username;
import org.apache.james.domainlist.api.DomainList;
import org.apache.james.domainlist.api.DomainListException;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.rrt.api.CanSendFrom;
import org.apache.james.smtpserver.JamesMessageHook;
import org.apache.james.user.api.DelegationStore;
import org.apache.mailet.Mail;
import org.msa4james.address.DomainQualifier;
import org.msa4james.diagnostics.ClientDiagnostics;
import org.msa4james.diagnostics.Defect;
import org.msa4james.headercheck.HeaderCheck;
import org.msa4james.headercheck.HeaderField;
import org.msa4james.headercheck.HeaderProblem;
import org.msa4james.smtp.reply.SubmissionReplies;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import reactor.core.publisher.Flux;

/**
 * RFC 6409 sections 6.3, 8.1 and 4.2: checks the header of a submitted message at the end of DATA and refuses a
 * broken one in the session, with a reply that names the field (see {@link HeaderCheck} for the checks and their
 * order):
 * <ul>
 *   <li>{@code 554 5.6.0}: no From, several From or Sender fields, an address field with invalid syntax, a From
 *       without any mailbox, a Sender that is not one mailbox, several authors without Sender;</li>
 *   <li>{@code 554 5.6.7}: raw 8-bit bytes in any header field (James 3.8.1 offers no SMTPUTF8);</li>
 *   <li>{@code 554 5.1.2}: a domain in an address field that is neither fully qualified nor expandable by the
 *       configured single-label expansions (same rules and parameters as {@link QualifiedEnvelopeHook});</li>
 *   <li>{@code 550 5.7.1}: no author in From is an address the authenticated user may send as.</li>
 * </ul>
 *
 * <p>Entitlement: the user may send as an author when James's {@link CanSendFrom} allows it (the user's own address,
 * an alias, a domain alias), or when the author is such an address of a user who delegated to this user (James's
 * {@link DelegationStore}: the user is one of that user's authorized users); the AddSender mailet then names the
 * user in Sender. With several authors, one entitled author is enough: the others are co-authors, and Sender names
 * the real sender. A session without AUTH (a trusted network) has no user: its From is not checked for
 * entitlement, everything else is.</p>
 *
 * <p>Only the header is read, never the body. A failure of the domain list, the recipient rewrite table or the
 * delegation store answers {@code 451 4.3.0}.</p>
 *
 * <p>Parameters: {@code domainExpansions} and {@code additionalTopLevelDomains} (as for QualifiedEnvelopeHook,
 * default none), {@code checkFromEntitlement} (true or false, default true: false lets users send with any
 * From).</p>
 */
public class HeaderCheckHook implements JamesMessageHook {
    private static final Logger LOGGER = LoggerFactory.getLogger(HeaderCheckHook.class);
    static final String DOMAIN_EXPANSIONS = "domainExpansions";
    static final String ADDITIONAL_TOP_LEVEL_DOMAINS = "additionalTopLevelDomains";
    static final String CHECK_FROM_ENTITLEMENT = "checkFromEntitlement";
    private static final Duration DELEGATION_LOOKUP_TIMEOUT = Duration.ofSeconds(30);

    private final DomainList domainList;
    private final CanSendFrom canSendFrom;
    private final DelegationStore delegationStore;
    private HeaderCheck headerCheck;
    private boolean checkFromEntitlement = true;
    private final ClientDiagnostics diagnostics;

    public HeaderCheckHook(DomainList domainList, CanSendFrom canSendFrom, DelegationStore delegationStore) {
        this(domainList, canSendFrom, delegationStore, ClientDiagnostics.discarding());
    }

    @Inject
    public HeaderCheckHook(DomainList domainList, CanSendFrom canSendFrom, DelegationStore delegationStore,
                           ClientDiagnostics diagnostics) {
        this.diagnostics = diagnostics;
        this.domainList = domainList;
        this.canSendFrom = canSendFrom;
        this.delegationStore = delegationStore;
        this.headerCheck = headerCheck(Map.of(), Set.of());
    }

    @Override
    public void init(Configuration config) throws ConfigurationException {
        HandlerParameters parameters = HandlerParameters.of(config, HeaderCheckHook.class,
            DOMAIN_EXPANSIONS, ADDITIONAL_TOP_LEVEL_DOMAINS, CHECK_FROM_ENTITLEMENT);
        Map<String, String> expansions = parameters.parsed(DOMAIN_EXPANSIONS, DomainQualifier::parseExpansions);
        Set<String> topLevelDomains = parameters.parsed(ADDITIONAL_TOP_LEVEL_DOMAINS, DomainQualifier::parseTopLevelDomains);
        checkFromEntitlement = parameters.booleanValue(CHECK_FROM_ENTITLEMENT, true);
        headerCheck = headerCheck(expansions, topLevelDomains);
        LOGGER.info("Submitted headers are checked; expansions {}, additional top-level domains {}, From entitlement {}",
            expansions, topLevelDomains, checkFromEntitlement ? "checked" : "not checked");
    }

    private HeaderCheck headerCheck(Map<String, String> expansions, Set<String> topLevelDomains) {
        return new HeaderCheck(new DomainQualifier(expansions, topLevelDomains, this::isLocalDomain));
    }

    private boolean isLocalDomain(String domain) {
        try {
            return domainList.containsDomain(Domain.of(domain));
        } catch (DomainListException e) {
            throw new LookupException(e);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    @Override
    public HookResult onMessage(SMTPSession session, Mail mail) {
        List<HeaderField> fields;
        try {
            fields = headerFields(mail);
        } catch (MessagingException e) {
            LOGGER.error("Could not read the header of message {} from {}", mail.getName(), SessionState.clientAddress(session), e);
            return SubmissionReplies.HEADER_UNREADABLE;
        }

        HeaderCheck.Result result;
        try {
            result = headerCheck.check(fields);
        } catch (LookupException e) {
            LOGGER.error("Could not check the header domains of message {}", mail.getName(), e.getCause());
            return SubmissionReplies.TEMPORARY_FAILURE;
        }
        if (result.problem().isPresent()) {
            HeaderProblem problem = result.problem().get();
            LOGGER.debug("Refused message {} from {} (user {}): {}", mail.getName(), SessionState.clientAddress(session),
                user(session), problem);
            defect(problem).ifPresent(defect -> SessionDiagnostics.record(diagnostics, defect, session, mail));
            return reply(problem);
        }

        Username user = session.getUsername();
        if (user == null || !checkFromEntitlement) {
            return HookResult.DECLINED;
        }
        try {
            if (anyAuthorEntitled(user, result.authors())) {
                return HookResult.DECLINED;
            }
        } catch (RuntimeException e) {
            LOGGER.error("Could not tell whether {} may send as {}", user.asString(), result.authors(), e);
            return SubmissionReplies.TEMPORARY_FAILURE;
        }
        LOGGER.debug("Refused message {} from {}: user {} may not send as From {}", mail.getName(),
            SessionState.clientAddress(session), user.asString(), result.authors());
        SessionDiagnostics.record(diagnostics, Defect.FROM_NOT_ENTITLED, session, mail);
        return SubmissionReplies.authorNotEntitled(result.authors().get(0).written(), user);
    }

    /** The raw header lines as JavaMail keeps them; reads the header only, never the body. */
    private static List<HeaderField> headerFields(Mail mail) throws MessagingException {
        List<HeaderField> fields = new ArrayList<>();
        Enumeration<String> lines = mail.getMessage().getAllHeaderLines();
        while (lines.hasMoreElements()) {
            fields.add(HeaderField.parse(lines.nextElement()));
        }
        return fields;
    }

    private boolean anyAuthorEntitled(Username user, List<HeaderCheck.Author> authors) {
        List<Username> authorNames = new ArrayList<>();
        for (HeaderCheck.Author author : authors) {
            Optional<Username> name = username(author.qualified());
            if (name.isPresent()) {
                if (canSendFrom.userCanSendFrom(user, name.get())) {
                    return true;
                }
                authorNames.add(name.get());
            }
        }
        if (authorNames.isEmpty()) {
            return false;
        }
        for (Username delegator : delegators(user)) {
            for (Username author : authorNames) {
                if (canSendFrom.userCanSendFrom(delegator, author)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The users who delegated their account to {@code user}; none when the store does not implement delegation. */
    private List<Username> delegators(Username user) {
        try {
            return Flux.from(delegationStore.delegatedUsers(user))
                .collectList()
                .blockOptional(DELEGATION_LOOKUP_TIMEOUT)
                .orElse(List.of());
        } catch (UnsupportedOperationException e) {
            // James's NaiveDelegationStore (JPA servers) throws NotImplementedException: no delegation there
            return List.of();
        }
    }

    /** An author as a James user name; empty when the address is not one James can hold (then nobody may use it). */
    private static Optional<Username> username(String address) {
        try {
            return Optional.of(Username.fromMailAddress(new MailAddress(address)));
        } catch (AddressException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The defects the diagnostics count; other header problems are refused without being counted. */
    private static Optional<Defect> defect(HeaderProblem problem) {
        switch (problem.kind()) {
            case EIGHT_BIT:
                return Optional.of(Defect.EIGHT_BIT_HEADER);
            case UNQUALIFIED_DOMAIN:
                return Optional.of(Defect.UNQUALIFIED_DOMAIN);
            default:
                return Optional.empty();
        }
    }

    private static String user(SMTPSession session) {
        return session.getUsername() == null ? "none" : session.getUsername().asString();
    }

    private static HookResult reply(HeaderProblem problem) {
        switch (problem.kind()) {
            case MISSING:
                return SubmissionReplies.headerFieldMissing(problem.field());
            case REPEATED:
                return SubmissionReplies.headerFieldRepeated(problem.field(), problem.detail());
            case INVALID_SYNTAX:
                return SubmissionReplies.headerFieldInvalid(problem.field(), problem.detail());
            case NO_ADDRESS:
                return SubmissionReplies.headerFieldWithoutAddress(problem.field());
            case NOT_ONE_MAILBOX:
                return SubmissionReplies.headerFieldNotOneMailbox(problem.field());
            case SEVERAL_AUTHORS_WITHOUT_SENDER:
                return SubmissionReplies.severalAuthorsWithoutSender();
            case EIGHT_BIT:
                return SubmissionReplies.headerFieldEightBit(problem.field());
            case UNQUALIFIED_DOMAIN:
                return SubmissionReplies.headerDomainNotQualified(problem.field(), problem.detail());
            default:
                throw new IllegalStateException("Unknown header problem " + problem);
        }
    }

    /** Carries a DomainListException through the qualifier's predicate. */
    private static final class LookupException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        LookupException(DomainListException cause) {
            super(cause);
        }
    }
}
