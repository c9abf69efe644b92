package org.msa4james.mailet;

import java.util.Optional;

import javax.inject.Inject;
import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;

import org.apache.james.core.MailAddress;
import org.apache.james.core.Username;
import org.apache.james.domainlist.api.DomainList;
import org.apache.james.domainlist.api.DomainListException;
import org.apache.james.rrt.api.CanSendFrom;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;
import org.msa4james.completion.SenderCompletion;
import org.msa4james.diagnostics.ClientDiagnostics;
import org.msa4james.diagnostics.Defect;
import org.msa4james.submission.Submission;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RFC 6409 section 8.1: when the authenticated user of a submission is not an author in From, that is, no From
 * address is the user's own or one James lets the user send as ({@link CanSendFrom}: aliases, domain aliases), the
 * Sender field is set to the user's bare address, appended at the end of the header in place of the Sender fields
 * there were. A single Sender that already names the user is kept. When the user is an author, or the submission
 * came from a trusted network without authentication, or the mail is not a submission, the message is left
 * untouched. A From field that cannot be parsed has no author. A user name without a domain (James without
 * virtual hosting) is qualified with James's default domain. Only the header is read and written. No parameters.
 *
 * <pre>{@code <mailet match="All" class="org.msa4james.mailet.AddSender"/>}</pre>
 */
public class AddSender extends GenericMailet {
    private static final String SENDER = "Sender";
    private static final String FROM = "From";
    private static final Logger LOGGER = LoggerFactory.getLogger(AddSender.class);

    private final CanSendFrom canSendFrom;
    private final DomainList domainList;
    private final ClientDiagnostics diagnostics;

    public AddSender(CanSendFrom canSendFrom, DomainList domainList) {
        this(canSendFrom, domainList, ClientDiagnostics.discarding());
    }

    @Inject
    public AddSender(CanSendFrom canSendFrom, DomainList domainList, ClientDiagnostics diagnostics) {
        this.diagnostics = diagnostics;
        this.canSendFrom = canSendFrom;
        this.domainList = domainList;
    }

    @Override
    public void init() throws MessagingException {
        MailetParameters.of(getMailetConfig(), AddSender.class);
    }

    @Override
    public void service(Mail mail) throws MessagingException {
        Optional<Submission> submission = Submission.of(mail);
        Optional<String> userName = submission.flatMap(Submission::user);
        if (userName.isEmpty()) {
            return;
        }
        Username user = username(userName.get());
        MailAddress userAddress = address(user);
        SenderCompletion completion = new SenderCompletion(from -> maySendAs(user, userAddress, from));
        MimeMessage message = mail.getMessage();
        Optional<String> sender = completion.sender(userAddress.asString(),
            CompletionHeaderFields.values(message, FROM), CompletionHeaderFields.values(message, SENDER));
        if (sender.isPresent()) {
            MailDiagnostics.record(diagnostics, Defect.SENDER_ADDED, mail, submission.get());
            CompletionHeaderFields.replace(message, SENDER, sender.get());
            LOGGER.info("Set Sender '{}' in mail {} of session {}: the user is not an author in From", sender.get(),
                mail.getName(), submission.get().sessionId().orElse("-"));
        }
    }

    private static Username username(String name) throws MessagingException {
        try {
            return Username.of(name);
        } catch (IllegalArgumentException e) {
            throw new MessagingException("The authenticated user '" + name + "' is not a James user name", e);
        }
    }

    /** The user's address; a user name without a domain (no virtual hosting) gets James's default domain. */
    private MailAddress address(Username user) throws MessagingException {
        if (user.hasDomainPart()) {
            return user.asMailAddress();
        }
        try {
            return user.withDefaultDomain(domainList.getDefaultDomain()).asMailAddress();
        } catch (DomainListException e) {
            throw new MessagingException("Cannot read James's default domain", e);
        }
    }

    private boolean maySendAs(Username user, MailAddress userAddress, String fromAddress) {
        Username from;
        try {
            from = Username.of(fromAddress);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return canSendFrom.userCanSendFrom(user, from) || from.equals(Username.fromMailAddress(userAddress));
    }

    @Override
    public String getMailetInfo() {
        return "AddSender: names the authenticated user in Sender when the user is not an author in From (RFC 6409 section 8.1)";
    }
}
