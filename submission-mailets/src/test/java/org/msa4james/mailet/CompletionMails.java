package org.msa4james.mailet;

import java.time.Instant;
import java.util.Optional;

import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;

import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMail;
import org.msa4james.submission.SubmissionAttributes;

/** Mails as the completion mailets receive them: marked as submissions by the session hooks, or not. */
final class CompletionMails {
    static final Instant RECEIVED_AT = Instant.parse("2026-11-28T18:55:39.123Z");
    static final String RECEIVED_AT_RFC5322 = "Sat, 28 Nov 2026 18:55:39 +0000";

    private CompletionMails() {
    }

    /** A submission of alice@example.test, received at {@link #RECEIVED_AT}. */
    static FakeMail submission(MimeMessage message) throws MessagingException {
        return submission(message, Optional.of("alice@example.test"), Optional.of(RECEIVED_AT), Optional.of("alice@example.test"));
    }

    static FakeMail submission(MimeMessage message, Optional<String> user, Optional<Instant> receivedAt,
                               Optional<String> envelopeSender) throws MessagingException {
        FakeMail.Builder builder = FakeMail.builder()
            .name("mail1")
            .mimeMessage(message)
            .recipient("bob@example.com")
            .attribute(new Attribute(SubmissionAttributes.LISTENER, AttributeValue.of("submission")))
            .attribute(new Attribute(Mail.SMTP_SESSION_ID, AttributeValue.of("SMTP-1f2e3d")));
        user.ifPresent(name -> builder.attribute(new Attribute(SubmissionAttributes.USER, AttributeValue.of(name))));
        receivedAt.ifPresent(instant -> builder.attribute(new Attribute(SubmissionAttributes.RECEIVED_AT, AttributeValue.of(instant.toString()))));
        if (envelopeSender.isPresent()) {
            builder.sender(envelopeSender.get());
        }
        return builder.build();
    }

    /** Mail relayed in on port 25: no submission mark, though James knows an authenticated user. */
    static FakeMail relayed(MimeMessage message) throws MessagingException {
        return FakeMail.builder()
            .name("mail1")
            .mimeMessage(message)
            .sender("carol@example.com")
            .recipient("alice@example.test")
            .attribute(new Attribute(Mail.SMTP_AUTH_USER, AttributeValue.of("alice@example.test")))
            .build();
    }
}
