package org.msa4james.smtp;

import java.util.Optional;

import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;

import org.apache.james.protocols.api.ProtocolSession.State;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.mailet.Mail;
import org.msa4james.diagnostics.ClientDiagnostics;
import org.msa4james.diagnostics.ClientSoftware;
import org.msa4james.diagnostics.Defect;

/** Records a client defect seen in an SMTP session: who (user, else client address) and with which software. */
final class SessionDiagnostics {
    private SessionDiagnostics() {
    }

    static void record(ClientDiagnostics diagnostics, Defect defect, SMTPSession session) {
        diagnostics.record(defect, subject(session), ClientSoftware.of(Optional.empty(), Optional.empty(), ehlo(session)));
    }

    /** At the end of DATA: the message's User-Agent or X-Mailer names the software better than the EHLO name. */
    static void record(ClientDiagnostics diagnostics, Defect defect, SMTPSession session, Mail mail) {
        diagnostics.record(defect, subject(session),
            ClientSoftware.of(header(mail, "User-Agent"), header(mail, "X-Mailer"), ehlo(session)));
    }

    static String subject(SMTPSession session) {
        return session.getUsername() == null ? SessionState.clientAddress(session) : session.getUsername().asString();
    }

    private static Optional<String> ehlo(SMTPSession session) {
        return session.getAttachment(SMTPSession.CURRENT_HELO_NAME, State.Connection);
    }

    private static Optional<String> header(Mail mail, String name) {
        try {
            MimeMessage message = mail.getMessage();
            return Optional.ofNullable(message.getHeader(name, null));
        } catch (MessagingException e) {
            return Optional.empty();
        }
    }
}
