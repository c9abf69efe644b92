package org.msa4james.submission;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.apache.james.core.MailAddress;
import org.apache.james.server.core.MailImpl;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.junit.jupiter.api.Test;

class SubmissionTest {

    private static MailImpl mail() throws Exception {
        return MailImpl.builder().name("m").sender("alice@example.test").addRecipient(new MailAddress("bob@example.com")).build();
    }

    @Test
    void ofShouldReadEveryFactOfASubmission() throws Exception {
        MailImpl mail = mail();
        mail.setAttribute(new Attribute(SubmissionAttributes.LISTENER, AttributeValue.of("submissions")));
        mail.setAttribute(new Attribute(SubmissionAttributes.USER, AttributeValue.of("alice@example.test")));
        mail.setAttribute(new Attribute(SubmissionAttributes.TLS_PROTOCOL, AttributeValue.of("TLSv1.3")));
        mail.setAttribute(new Attribute(SubmissionAttributes.CLIENT_ADDRESS, AttributeValue.of("192.0.2.7")));
        mail.setAttribute(new Attribute(SubmissionAttributes.RECEIVED_AT, AttributeValue.of("2026-11-28T18:55:39.123Z")));
        mail.setAttribute(new Attribute(Mail.SMTP_SESSION_ID, AttributeValue.of("SMTP-abc")));

        Submission submission = Submission.of(mail).orElseThrow();

        assertThat(submission.listener()).isEqualTo("submissions");
        assertThat(submission.user()).contains("alice@example.test");
        assertThat(submission.tlsProtocol()).contains("TLSv1.3");
        assertThat(submission.clientAddress()).contains("192.0.2.7");
        assertThat(submission.receivedAt()).contains(Instant.parse("2026-11-28T18:55:39.123Z"));
        assertThat(submission.sessionId()).contains("SMTP-abc");
    }

    @Test
    void ofShouldBeEmptyForMailThatNoSubmissionListenerMarked() throws Exception {
        MailImpl mail = mail();
        mail.setAttribute(new Attribute(SubmissionAttributes.USER, AttributeValue.of("alice@example.test")));

        assertThat(Submission.of(mail)).isEmpty();
    }

    @Test
    void ofShouldLeaveOutAnUnreadableReceptionTime() throws Exception {
        MailImpl mail = mail();
        mail.setAttribute(new Attribute(SubmissionAttributes.LISTENER, AttributeValue.of("submission")));
        mail.setAttribute(new Attribute(SubmissionAttributes.RECEIVED_AT, AttributeValue.of("yesterday")));

        Submission submission = Submission.of(mail).orElseThrow();

        assertThat(submission.receivedAt()).isEmpty();
        assertThat(submission.user()).isEmpty();
    }
}
