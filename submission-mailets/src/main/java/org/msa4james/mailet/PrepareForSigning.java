package org.msa4james.mailet;

import java.util.Optional;

import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;

import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;
import org.msa4james.submission.Submission;

/**
 * Makes now, right before James's {@code DKIMSign}, the header changes that JavaMail would otherwise make after
 * the message is signed, so that none of them breaks the signature.
 *
 * <p>Once a mailet has changed a header field, JavaMail's {@code saveChanges} runs again before the message is
 * written anywhere. It sets {@code MIME-Version: 1.0} (adding it when missing, rewriting a value such as
 * {@code 1.0 (Mac OS X Mail 16.0)}), sets the {@code Content-Type} and {@code Content-Transfer-Encoding} of a body
 * that a mailet replaced, and adds a {@code Date} and a {@code Message-ID} when missing. {@code DKIMSign} reads the
 * header first and only then writes the message to hash its body, which runs that {@code saveChanges}: a signature
 * that covers {@code MIME-Version} (or {@code Content-Type} after a transfer encoding) would then fail. Running
 * {@code saveChanges} here first makes the header final; the later runs (when {@code DKIMSign} writes the message,
 * and when James stores or sends it) find nothing more to change.</p>
 *
 * <p>Acts only on submissions; other mail is left untouched. Takes no parameter:</p>
 * <pre>
 * &lt;mailet match="All" class="org.msa4james.mailet.PrepareForSigning"/&gt;
 * </pre>
 */
public class PrepareForSigning extends GenericMailet {

    @Override
    public void init() throws MessagingException {
        MailetParameters.of(getMailetConfig(), PrepareForSigning.class);
    }

    @Override
    public void service(Mail mail) throws MessagingException {
        Optional<Submission> submission = Submission.of(mail);
        if (submission.isEmpty()) {
            return;
        }
        MimeMessage message = mail.getMessage();
        message.saveChanges();
    }

    @Override
    public String getMailetInfo() {
        return "PrepareForSigning: applies JavaMail's pending header updates (MIME-Version, Content-Type, "
            + "Content-Transfer-Encoding, Date, Message-ID) to a submission before DKIMSign reads its header";
    }
}
