package org.msa4james.relay;

import java.io.IOException;
import java.io.OutputStream;

import javax.mail.MessagingException;
import javax.mail.Session;
import javax.mail.URLName;

import com.sun.mail.smtp.SMTPTransport;

/**
 * JavaMail's SMTP client (connection, EHLO, STARTTLS, AUTH, reply parsing, dot-stuffing), with its DATA steps open to
 * {@link SmtpTransaction}, which writes MAIL and RCPT itself: JavaMail cannot send ORCPT, nor tell which recipient got
 * which reply. Made directly, not looked up as a JavaMail provider, so that it works from James's extension class
 * loader.
 */
public final class NextHopTransport extends SMTPTransport {
    /**
     * @param ssl true for implicit TLS ({@code smtps} properties), false for SMTP with optional STARTTLS
     */
    public NextHopTransport(Session session, URLName url, boolean ssl) {
        super(session, url, ssl ? "smtps" : "smtp", ssl);
    }

    /** Sends DATA; on 354, the stream to write the message to (CRLF line ends and dot-stuffing applied). */
    synchronized OutputStream beginData() throws MessagingException {
        return data();
    }

    /** Ends the message with the final dot and reads the reply; anything but 250 throws, with the reply. */
    synchronized void endData() throws IOException, MessagingException {
        finishData();
    }
}
