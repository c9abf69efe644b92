package org.msa4james.mailet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.Map;
import java.util.Properties;
import java.util.Random;

import javax.mail.MessagingException;
import javax.mail.Multipart;
import javax.mail.Session;
import javax.mail.internet.MimeBodyPart;
import javax.mail.internet.MimeMessage;

import org.apache.james.core.MailAddress;
import org.apache.james.core.builder.MimeMessageBuilder;
import org.apache.mailet.DsnParameters;
import org.apache.mailet.DsnParameters.Notify;
import org.apache.mailet.DsnParameters.RecipientDsnParameters;
import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMail;
import org.apache.mailet.base.test.FakeMailContext;
import org.apache.mailet.base.test.FakeMailetConfig;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.msa4james.completion.MessageIdFactory;
import org.msa4james.dsn.DsnAttributes;

class SendDeliveryReportTest {
    private static final Instant NOW = Instant.parse("2026-11-28T19:00:00Z");
    private static final Instant ARRIVAL = Instant.parse("2026-11-28T18:55:39.123Z");
    private static final Instant ATTEMPT = Instant.parse("2026-11-28T18:55:41Z");
    private static final MailAddress ALICE = address("alice@example.test");
    private static final MailAddress CAROL = address("carol@example.com");
    private static final MailAddress DAVE = address("dave@example.com");

    private CompletionJamesData james;
    private FakeMailContext context;

    @BeforeEach
    void setUp() throws Exception {
        james = new CompletionJamesData();
        context = FakeMailContext.builder().postmaster(address("postmaster@example.test")).build();
    }

    private SendDeliveryReport mailet(String... parameters) throws MessagingException {
        Random zeros = new Random() {
            private static final long serialVersionUID = 1L;

            @Override
            public void nextBytes(byte[] bytes) {
                java.util.Arrays.fill(bytes, (byte) 0);
            }
        };
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        SendDeliveryReport mailet = new SendDeliveryReport(james.domainList, clock, new MessageIdFactory(clock, zeros));
        FakeMailetConfig.Builder config = FakeMailetConfig.builder().mailetName("SendDeliveryReport").mailetContext(context);
        for (int i = 0; i < parameters.length; i += 2) {
            config.setProperty(parameters[i], parameters[i + 1]);
        }
        mailet.init(config.build());
        return mailet;
    }

    @Nested
    class Failure {
        @Test
        void aRefusedRecipientShouldBeReportedToTheSenderFromTheNullSenderWithEveryField() throws Exception {
            FakeMail mail = mail(CAROL, DAVE);
            mail.setDsnParameters(DsnParameters.builder()
                .envId(DsnParameters.EnvId.of("QQ+2B314159"))
                .addRcptParameter(CAROL, RecipientDsnParameters.of(EnumSet.of(Notify.FAILURE), CAROL))
                .addRcptParameter(DAVE, RecipientDsnParameters.of(EnumSet.of(Notify.NEVER)))
                .build().orElseThrow());
            DsnAttributes.setPerRecipient(mail, DsnAttributes.STATUS, Map.of("carol@example.com", "5.1.1", "dave@example.com", "5.1.1"));
            DsnAttributes.setPerRecipient(mail, DsnAttributes.REMOTE_MTA, Map.of("carol@example.com", "127.0.0.1"));
            DsnAttributes.setPerRecipient(mail, DsnAttributes.DIAGNOSTIC_CODE,
                Map.of("carol@example.com", "550 5.1.1 <carol@example.com>: no such user"));
            DsnAttributes.setInstant(mail, DsnAttributes.LAST_ATTEMPT_DATE, ATTEMPT);

            mailet("action", "failed", "reportingMta", "msa.example.test").service(mail);

            assertThat(mail.getState()).isEqualTo(Mail.GHOST);
            assertThat(context.getSentMails()).hasSize(1);
            FakeMailContext.SentMail sent = context.getSentMails().get(0);
            assertThat(sent.getSender()).isNull();
            assertThat(sent.getRecipients()).containsExactly(ALICE);
            MimeMessage report = reparsed(sent.getMsg());
            assertThat(report.getHeader("From", null)).isEqualTo("Mail Delivery System <postmaster@example.test>");
            assertThat(report.getHeader("To", null)).isEqualTo("alice@example.test");
            assertThat(report.getHeader("Subject", null)).isEqualTo("Undeliverable: Quarterly report");
            assertThat(report.getHeader("Date", null)).isEqualTo("Sat, 28 Nov 2026 19:00:00 +0000");
            assertThat(report.getHeader("Message-ID", null)).isEqualTo("<mx0rysg0.00000000000000000000000000@example.test>");
            Multipart parts = (Multipart) report.getContent();
            assertThat(text(parts, 1)).isEqualTo(
                "Original-Envelope-Id: QQ+314159\r\n"
                    + "Reporting-MTA: dns; msa.example.test\r\n"
                    + "Arrival-Date: Sat, 28 Nov 2026 18:55:39 +0000\r\n"
                    + "\r\n"
                    + "Original-Recipient: rfc822; carol@example.com\r\n"
                    + "Final-Recipient: rfc822; carol@example.com\r\n"
                    + "Action: failed\r\n"
                    + "Status: 5.1.1\r\n"
                    + "Remote-MTA: dns; [127.0.0.1]\r\n"
                    + "Diagnostic-Code: smtp; 550 5.1.1 <carol@example.com>: no such user\r\n"
                    + "Last-Attempt-Date: Sat, 28 Nov 2026 18:55:41 +0000\r\n");
            assertThat(parts.getBodyPart(2).getContentType()).isEqualTo("message/rfc822");
            assertThat(text(parts, 2)).contains("Subject: Quarterly report\r\n").endsWith("\r\n\r\nThe figures.");
        }

        @Test
        void noRecipientWithNotifyNeverShouldGiveNoReport() throws Exception {
            FakeMail mail = mail(CAROL);
            mail.setDsnParameters(DsnParameters.builder()
                .addRcptParameter(CAROL, RecipientDsnParameters.of(EnumSet.of(Notify.NEVER))).build().orElseThrow());

            mailet("action", "failed", "reportingMta", "msa.example.test").service(mail);

            assertThat(context.getSentMails()).isEmpty();
            assertThat(mail.getState()).isEqualTo(Mail.GHOST);
        }

        @Test
        void aMailFromTheNullSenderShouldNeverBeReportedOn() throws Exception {
            FakeMail mail = FakeMail.builder().name("report").sender(org.apache.james.core.MaybeSender.nullSender())
                .recipient(CAROL).mimeMessage(message()).build();

            mailet("action", "failed", "reportingMta", "msa.example.test", "passThrough", "true").service(mail);

            assertThat(context.getSentMails()).isEmpty();
            assertThat(mail.getState()).isNotEqualTo(Mail.GHOST);
        }

        @Test
        void aHostThatKnowsItselfBySingleLabelShouldStillReportUnderThatName() throws Exception {
            FakeMail mail = mail(CAROL);

            mailet("action", "failed", "reportingMta", "Build-Host-7", "status", "5.1.1").service(mail);

            String status = text((Multipart) reparsed(context.getSentMails().get(0).getMsg()).getContent(), 1);
            assertThat(status).startsWith("Reporting-MTA: dns; build-host-7\r\n");
        }

        @Test
        void withoutRecordedDetailsTheConfiguredStatusShouldBeReportedWithoutNextHop() throws Exception {
            FakeMail mail = mail(CAROL);

            mailet("action", "failed", "reportingMta", "msa.example.test", "status", "5.1.1").service(mail);

            String status = text((Multipart) reparsed(context.getSentMails().get(0).getMsg()).getContent(), 1);
            assertThat(status).isEqualTo("Reporting-MTA: dns; msa.example.test\r\n"
                + "Arrival-Date: Sat, 28 Nov 2026 18:55:39 +0000\r\n"
                + "\r\n"
                + "Final-Recipient: rfc822; carol@example.com\r\n"
                + "Action: failed\r\n"
                + "Status: 5.1.1\r\n"
                + "Last-Attempt-Date: Sat, 28 Nov 2026 19:00:00 +0000\r\n");
        }

        @Test
        void retHdrsShouldReturnTheHeaderAlone() throws Exception {
            FakeMail mail = mail(CAROL);
            mail.setDsnParameters(DsnParameters.builder().ret(DsnParameters.Ret.HDRS).build().orElseThrow());

            mailet("action", "failed", "reportingMta", "msa.example.test").service(mail);

            Multipart parts = (Multipart) reparsed(context.getSentMails().get(0).getMsg()).getContent();
            assertThat(parts.getBodyPart(2).getContentType()).isEqualTo("text/rfc822-headers");
            assertThat(text(parts, 2)).contains("Subject: Quarterly report\r\n").doesNotContain("The figures");
        }
    }

    @Nested
    class Success {
        @Test
        void onlyTheRecipientsThatAskedForSuccessShouldBeReportedWithTheHeaderAlone() throws Exception {
            FakeMail mail = mail(CAROL, DAVE);
            mail.setDsnParameters(DsnParameters.builder()
                .ret(DsnParameters.Ret.FULL)
                .addRcptParameter(DAVE, RecipientDsnParameters.of(EnumSet.of(Notify.SUCCESS, Notify.FAILURE)))
                .build().orElseThrow());

            mailet("action", "delivered", "reportingMta", "msa.example.test").service(mail);

            MimeMessage report = reparsed(context.getSentMails().get(0).getMsg());
            assertThat(report.getSubject()).isEqualTo("Delivered: Quarterly report");
            Multipart parts = (Multipart) report.getContent();
            assertThat(text(parts, 1)).contains("Final-Recipient: rfc822; dave@example.com\r\nAction: delivered\r\nStatus: 2.0.0\r\n")
                .doesNotContain("carol");
            assertThat(parts.getBodyPart(2).getContentType()).isEqualTo("text/rfc822-headers");
        }

        @Test
        void noRecipientAskingForSuccessShouldGiveNoReport() throws Exception {
            mailet("action", "relayed", "reportingMta", "msa.example.test").service(mail(CAROL));

            assertThat(context.getSentMails()).isEmpty();
        }
    }

    @Nested
    class Parameters {
        @Test
        void anUnknownActionShouldStopTheMailet() {
            assertThatThrownBy(() -> mailet("action", "bounced", "reportingMta", "msa.example.test"))
                .isInstanceOf(MessagingException.class)
                .hasMessage("Mailet org.msa4james.mailet.SendDeliveryReport: parameter 'action' is invalid: must be one of failed, delayed, delivered, relayed, not 'bounced'");
        }

        @Test
        void aStatusOfAnotherClassShouldStopTheMailet() {
            assertThatThrownBy(() -> mailet("action", "delivered", "reportingMta", "msa.example.test", "status", "5.1.1"))
                .isInstanceOf(MessagingException.class)
                .hasMessage("Mailet org.msa4james.mailet.SendDeliveryReport: parameter 'status' must be an RFC 3463 status code of class 2 for action delivered, e.g. 2.0.0, not '5.1.1'");
        }

        @Test
        void theReportingMtaShouldBeRequiredAndAHostName() {
            assertThatThrownBy(() -> mailet("action", "failed"))
                .isInstanceOf(MessagingException.class)
                .hasMessage("Mailet org.msa4james.mailet.SendDeliveryReport: parameter 'reportingMta' is required");
            assertThatThrownBy(() -> mailet("action", "failed", "reportingMta", "msa example"))
                .isInstanceOf(MessagingException.class)
                .hasMessage("Mailet org.msa4james.mailet.SendDeliveryReport: parameter 'reportingMta' is invalid: 'msa example' is not a host name (letters, digits and hyphens in dot-separated labels, e.g. msa.example.com)");
        }

        @Test
        void anUnknownParameterShouldStopTheMailet() {
            assertThatThrownBy(() -> mailet("action", "failed", "reportingMta", "msa.example.test", "attachment", "none"))
                .isInstanceOf(MessagingException.class)
                .hasMessageStartingWith("Mailet org.msa4james.mailet.SendDeliveryReport: parameter 'attachment' is not a parameter of this mailet");
        }
    }

    private static FakeMail mail(MailAddress... recipients) throws Exception {
        FakeMail mail = FakeMail.builder().name("mail1").sender(ALICE).recipients(recipients).mimeMessage(message()).build();
        DsnAttributes.setInstant(mail, DsnAttributes.ARRIVAL_DATE, ARRIVAL);
        return mail;
    }

    private static MimeMessage message() throws Exception {
        return MimeMessageBuilder.mimeMessageBuilder()
            .addFrom("alice@example.test")
            .addToRecipient("carol@example.com")
            .setSubject("Quarterly report")
            .setText("The figures.")
            .build();
    }

    private static MimeMessage reparsed(MimeMessage message) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        message.writeTo(bytes);
        return new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(bytes.toByteArray()));
    }

    private static String text(Multipart parts, int index) throws Exception {
        try (InputStream in = ((MimeBodyPart) parts.getBodyPart(index)).getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static MailAddress address(String address) {
        try {
            return new MailAddress(address);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}
