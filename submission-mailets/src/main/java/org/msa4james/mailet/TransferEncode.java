package org.msa4james.mailet;

import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Enumeration;
import java.util.Optional;
import java.util.UUID;

import javax.inject.Inject;
import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;

import org.apache.james.server.core.MailImpl;
import org.apache.james.server.core.MimeMessageInputStreamSource;
import org.apache.james.server.core.MimeMessageWrapper;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;
import org.msa4james.diagnostics.ClientDiagnostics;
import org.msa4james.diagnostics.Defect;
import org.msa4james.encoding.EncodingPlan;
import org.msa4james.encoding.EncodingScanner;
import org.msa4james.submission.Submission;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RFC 6409 8.4: re-encodes as quoted-printable the text parts of a submission that cannot travel as they are
 * declared — a line longer than 998 octets, 8-bit octets declared (or defaulting to) 7bit, NUL, CR or LF outside
 * CRLF — and sets their Content-Transfer-Encoding accordingly. Every other byte of the message stays as it was;
 * a conformant message is not touched at all.
 *
 * <p>Cost: the message is read once, as a stream, to decide ({@link EncodingScanner}); only when a part needs it is it
 * read a second time and written, as a stream again, into a new James message source (memory up to James's
 * threshold, a temporary file beyond), which replaces the message of the mail. Envelope and attributes are kept.</p>
 *
 * <p>Each re-encoded message is logged (INFO) with the parts and the reasons, and the submitting user, so that the
 * site sees which mail clients send unfit messages. Takes no parameter; mail that is not a submission is left
 * untouched. Place it after every mailet that rewrites the message and before DKIM signing:</p>
 * <pre>
 * &lt;mailet match="All" class="org.msa4james.mailet.TransferEncode"/&gt;
 * </pre>
 */
public class TransferEncode extends GenericMailet {
    private static final Logger LOGGER = LoggerFactory.getLogger(TransferEncode.class);

    private final EncodingScanner scanner = new EncodingScanner();
    private final ClientDiagnostics diagnostics;

    public TransferEncode() {
        this(ClientDiagnostics.discarding());
    }

    @Inject
    public TransferEncode(ClientDiagnostics diagnostics) {
        this.diagnostics = diagnostics;
    }

    @Override
    public void init() throws MessagingException {
        MailetParameters.of(getMailetConfig(), TransferEncode.class);
    }

    @Override
    public void service(Mail mail) throws MessagingException {
        Optional<Submission> submission = Submission.of(mail);
        if (submission.isEmpty()) {
            return;
        }
        MimeMessage message = mail.getMessage();
        EncodingPlan plan = scan(mail, message);
        if (plan.isEmpty()) {
            return;
        }
        MimeMessageInputStreamSource rewritten = rewrite(mail, message, plan);
        if (mail instanceof MailImpl) {
            // no copy: James's Mail takes the source as it is, and disposes of the previous message
            ((MailImpl) mail).setMessageContent(rewritten);
        } else {
            mail.setMessage(new MimeMessageWrapper(rewritten));
        }
        // after the rewrite: the client's header fields are read from the new message, the original stays read twice
        MailDiagnostics.record(diagnostics, Defect.LONG_LINES_REENCODED, mail, submission.get());
        LOGGER.info("Mail {} submitted by {}: re-encoded as quoted-printable (RFC 6409 8.4) {}",
            mail.getName(), submission.get().user().orElse("a trusted network"), plan.parts());
    }

    private EncodingPlan scan(Mail mail, MimeMessage message) throws MessagingException {
        try (InputStream in = open(message)) {
            return scanner.scan(in);
        } catch (IOException e) {
            throw new MessagingException("TransferEncode: cannot read mail " + mail.getName(), e);
        }
    }

    private MimeMessageInputStreamSource rewrite(Mail mail, MimeMessage message, EncodingPlan plan) throws MessagingException {
        MimeMessageInputStreamSource target = MimeMessageInputStreamSource.create("TransferEncode-" + UUID.randomUUID());
        try (InputStream in = open(message);
             OutputStream out = new BufferedOutputStream(target.getWritableOutputStream(), 16 * 1024)) {
            plan.rewrite(in, out);
        } catch (IOException e) {
            target.dispose();
            throw new MessagingException("TransferEncode: cannot re-encode mail " + mail.getName(), e);
        } catch (MessagingException | RuntimeException e) {
            target.dispose();
            throw e;
        }
        return target;
    }

    /**
     * The message as it would be sent, as a stream, without parsing or copying its body. James's message streams the
     * current header fields followed by the body bytes it received; another MimeMessage gives its header lines and
     * its raw content.
     */
    private static InputStream open(MimeMessage message) throws MessagingException {
        if (message instanceof MimeMessageWrapper) {
            return ((MimeMessageWrapper) message).getMessageInputStream();
        }
        StringBuilder header = new StringBuilder();
        for (Enumeration<String> lines = message.getAllHeaderLines(); lines.hasMoreElements(); ) {
            header.append(lines.nextElement()).append("\r\n");
        }
        header.append("\r\n");
        return new SequenceInputStream(
            new ByteArrayInputStream(header.toString().getBytes(StandardCharsets.ISO_8859_1)),
            message.getRawInputStream());
    }

    @Override
    public String getMailetInfo() {
        return "TransferEncode: re-encodes as quoted-printable the text parts of a submission whose lines exceed 998 octets"
            + " or whose 8-bit data is declared 7bit (RFC 6409 8.4); conformant messages are left byte for byte";
    }
}
