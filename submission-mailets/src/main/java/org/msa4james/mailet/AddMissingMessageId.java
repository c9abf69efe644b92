package org.msa4james.mailet;

import java.time.Clock;
import java.util.List;
import java.util.Optional;

import javax.inject.Inject;
import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;

import org.apache.james.core.Domain;
import org.apache.james.core.MailAddress;
import org.apache.james.domainlist.api.DomainList;
import org.apache.james.domainlist.api.DomainListException;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;
import org.msa4james.completion.MessageIdDomain;
import org.msa4james.completion.MessageIdFactory;
import org.msa4james.completion.MessageIdSyntax;
import org.msa4james.diagnostics.ClientDiagnostics;
import org.msa4james.diagnostics.Defect;
import org.msa4james.submission.Submission;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RFC 6409 section 8.3: adds a Message-ID field to a submission that has none, and replaces the Message-ID field
 * when its syntax is invalid (RFC 5322 section 3.6.4: one {@code <id-left@id-right>}) or when there are several.
 * The new id is unique without shared state ({@link MessageIdFactory}: time and 128 random bits). Its right-hand
 * side is the configured domain, else the envelope sender's domain, else the first From address's domain, else
 * James's default domain; never the machine's host name. The new field is appended at the end of the header, in
 * place of the Message-ID fields there were. A valid Message-ID is left byte for byte. Mail that is not a
 * submission is left untouched. Only the header is read and written.
 *
 * <table>
 * <caption>Parameters</caption>
 * <tr><th>Parameter</th><th>Default</th><th>Meaning</th></tr>
 * <tr><td>domain</td><td>(none: the sender's domain)</td><td>Fully qualified host name used as the right-hand
 * side of every new Message-ID</td></tr>
 * </table>
 *
 * <pre>{@code <mailet match="All" class="org.msa4james.mailet.AddMissingMessageId"><domain>example.com</domain></mailet>}</pre>
 */
public class AddMissingMessageId extends GenericMailet {
    static final String DOMAIN = "domain";
    private static final String MESSAGE_ID = "Message-ID";
    private static final String FROM = "From";
    private static final Logger LOGGER = LoggerFactory.getLogger(AddMissingMessageId.class);

    private final DomainList domainList;
    private final MessageIdFactory factory;
    private final ClientDiagnostics diagnostics;
    private MessageIdDomain domains;

    public AddMissingMessageId(DomainList domainList) {
        this(domainList, MessageIdFactory.secure(Clock.systemUTC()));
    }

    @Inject
    public AddMissingMessageId(DomainList domainList, ClientDiagnostics diagnostics) {
        this(domainList, MessageIdFactory.secure(Clock.systemUTC()), diagnostics);
    }

    AddMissingMessageId(DomainList domainList, MessageIdFactory factory) {
        this(domainList, factory, ClientDiagnostics.discarding());
    }

    AddMissingMessageId(DomainList domainList, MessageIdFactory factory, ClientDiagnostics diagnostics) {
        this.diagnostics = diagnostics;
        this.domainList = domainList;
        this.factory = factory;
    }

    @Override
    public void init() throws MessagingException {
        MailetParameters parameters = MailetParameters.of(getMailetConfig(), AddMissingMessageId.class, DOMAIN);
        domains = new MessageIdDomain(parameters.parsed(DOMAIN, MessageIdDomain::configured));
    }

    @Override
    public void service(Mail mail) throws MessagingException {
        Optional<Submission> submission = Submission.of(mail);
        if (submission.isEmpty()) {
            return;
        }
        MimeMessage message = mail.getMessage();
        List<String> messageIds = CompletionHeaderFields.values(message, MESSAGE_ID);
        Optional<String> problem = MessageIdSyntax.problem(messageIds);
        if (problem.isPresent()) {
            MailDiagnostics.record(diagnostics,
                messageIds.isEmpty() ? Defect.MISSING_MESSAGE_ID : Defect.INVALID_MESSAGE_ID, mail, submission.get());
            String domain = domains.choose(
                    mail.getMaybeSender().asOptional().map(MailAddress::getDomain).map(Domain::asString),
                    CompletionHeaderFields.values(message, FROM),
                    defaultDomain())
                .orElseThrow(() -> new MessagingException("No host name for the Message-ID of mail " + mail.getName()
                    + ": neither the sender's, the From address's nor James's default domain is one; set the parameter '"
                    + DOMAIN + "' of " + AddMissingMessageId.class.getName()));
            String messageId = factory.create(domain);
            CompletionHeaderFields.replace(message, MESSAGE_ID, messageId);
            LOGGER.info("Set Message-ID '{}' in mail {} of session {} (user {}): {}", messageId, mail.getName(),
                submission.get().sessionId().orElse("-"), submission.get().user().orElse("-"), problem.get());
        }
    }

    private String defaultDomain() throws MessagingException {
        try {
            return domainList.getDefaultDomain().asString();
        } catch (DomainListException e) {
            throw new MessagingException("Cannot read James's default domain", e);
        }
    }

    @Override
    public String getMailetInfo() {
        return "AddMissingMessageId: adds or repairs the Message-ID field of submissions (RFC 6409 section 8.3)";
    }
}
