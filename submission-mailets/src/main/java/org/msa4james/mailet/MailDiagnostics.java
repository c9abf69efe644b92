package org.msa4james.mailet;

import java.util.Optional;

import javax.mail.MessagingException;

import org.apache.mailet.Attribute;
import org.apache.mailet.Mail;
import org.msa4james.diagnostics.ClientDiagnostics;
import org.msa4james.diagnostics.ClientSoftware;
import org.msa4james.diagnostics.Defect;
import org.msa4james.submission.Submission;

/**
 * Records a defect a mailet repaired in a submission: the subject is the authenticated user, else the client
 * address; the client software is the message's User-Agent, else its X-Mailer, else the EHLO name James kept.
 * Call it before changing the header fields it reads.
 */
final class MailDiagnostics {
    private static final String UNKNOWN_CLIENT = "unknown";

    private MailDiagnostics() {
    }

    static void record(ClientDiagnostics diagnostics, Defect defect, Mail mail, Submission submission)
            throws MessagingException {
        String subject = submission.user().or(submission::clientAddress).orElse(UNKNOWN_CLIENT);
        String software = ClientSoftware.of(header(mail, "User-Agent"), header(mail, "X-Mailer"), ehlo(mail));
        diagnostics.record(defect, subject, software);
    }

    private static Optional<String> header(Mail mail, String name) throws MessagingException {
        return Optional.ofNullable(mail.getMessage().getHeader(name, null));
    }

    private static Optional<String> ehlo(Mail mail) {
        return mail.getAttribute(Mail.SMTP_HELO)
            .map(Attribute::getValue)
            .map(value -> value.getValue())
            .filter(String.class::isInstance)
            .map(String.class::cast);
    }
}
