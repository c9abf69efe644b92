package org.msa4james.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Properties;

import javax.mail.BodyPart;
import javax.mail.Multipart;
import javax.mail.Session;
import javax.mail.internet.ContentType;
import javax.mail.internet.InternetAddress;
import javax.mail.internet.MimeMessage;

import org.junit.jupiter.api.Test;

class ReportMessageTest {
    private static final String ORIGINAL = "From: alice@example.test\r\n"
        + "To: carol@example.com\r\n"
        + "Subject: Quarterly report\r\n"
        + "Message-ID: <q3.1@example.test>\r\n"
        + "\r\n"
        + "The figures are attached.\r\n";
    private static final String ORIGINAL_HEADER = ORIGINAL.substring(0, ORIGINAL.indexOf("\r\n\r\n") + 4);

    @Test
    void aReportShouldBeAWellFormedMultipartReportWithTheOriginalMessage() throws Exception {
        MimeMessage parsed = writtenAndParsed(builder().returned(ReportText.Returned.MESSAGE,
            ORIGINAL.getBytes(StandardCharsets.US_ASCII)));

        assertThat(parsed.getHeader("Date", null)).isEqualTo("Sat, 28 Nov 2026 18:56:00 +0000");
        assertThat(parsed.getHeader("From", null)).isEqualTo("Mail Delivery System <postmaster@example.test>");
        assertThat(parsed.getHeader("To", null)).isEqualTo("alice@example.test");
        assertThat(parsed.getHeader("Subject", null)).isEqualTo("Undeliverable: Quarterly report");
        assertThat(parsed.getHeader("Message-ID", null)).isEqualTo("<r1.abc@example.test>");
        assertThat(parsed.getHeader("Auto-Submitted", null)).isEqualTo("auto-replied");
        assertThat(parsed.getHeader("MIME-Version", null)).isEqualTo("1.0");
        ContentType type = new ContentType(parsed.getContentType());
        assertThat(type.getBaseType()).isEqualTo("multipart/report");
        assertThat(type.getParameter("report-type")).isEqualTo("delivery-status");

        Multipart parts = (Multipart) parsed.getContent();
        assertThat(parts.getCount()).isEqualTo(3);
        assertThat(new ContentType(parts.getBodyPart(0).getContentType()).getBaseType()).isEqualTo("text/plain");
        assertThat(new ContentType(parts.getBodyPart(0).getContentType()).getParameter("charset")).isEqualTo("us-ascii");
        assertThat(parts.getBodyPart(0).getContent()).isEqualTo("The words.\n");
        assertThat(parts.getBodyPart(1).getContentType()).isEqualTo("message/delivery-status");
        assertThat(raw(parts.getBodyPart(1))).isEqualTo("Reporting-MTA: dns; msa.example.test\r\n");
        assertThat(parts.getBodyPart(2).getContentType()).isEqualTo("message/rfc822");
        assertThat(raw(parts.getBodyPart(2))).isEqualTo(ORIGINAL);
    }

    @Test
    void withHdrsTheThirdPartShouldBeTheHeaderAlone() throws Exception {
        MimeMessage parsed = writtenAndParsed(builder().returned(ReportText.Returned.HEADER,
            ORIGINAL_HEADER.getBytes(StandardCharsets.US_ASCII)));

        Multipart parts = (Multipart) parsed.getContent();
        assertThat(parts.getCount()).isEqualTo(3);
        assertThat(parts.getBodyPart(2).getContentType()).isEqualTo("text/rfc822-headers");
        assertThat(raw(parts.getBodyPart(2))).isEqualTo(ORIGINAL_HEADER).doesNotContain("figures");
    }

    @Test
    void anEightBitOriginalShouldBeDeclaredEightBitAndANonAsciiSubjectEncoded() throws Exception {
        byte[] original = ("Subject: caf\u00e9\r\n\r\nd\u00e9j\u00e0 vu\r\n").getBytes(StandardCharsets.UTF_8);
        MimeMessage parsed = writtenAndParsed(builder().subject("Undeliverable: caf\u00e9")
            .text("\u00e9t\u00e9\n").returned(ReportText.Returned.MESSAGE, original));

        assertThat(parsed.getSubject()).isEqualTo("Undeliverable: caf\u00e9");
        assertThat(parsed.getHeader("Subject", null)).startsWith("=?UTF-8?");
        Multipart parts = (Multipart) parsed.getContent();
        assertThat(new ContentType(parts.getBodyPart(0).getContentType()).getParameter("charset")).isEqualTo("UTF-8");
        assertThat(parts.getBodyPart(0).getContent()).isEqualTo("\u00e9t\u00e9\n");
        assertThat(parts.getBodyPart(2).getHeader("Content-Transfer-Encoding")).containsExactly("8bit");
    }

    @Test
    void withoutReturnedContentThereShouldBeTwoParts() throws Exception {
        MimeMessage parsed = writtenAndParsed(builder());

        assertThat(((Multipart) parsed.getContent()).getCount()).isEqualTo(2);
    }

    private static ReportMessage.Builder builder() throws Exception {
        return ReportMessage.builder()
            .from(new InternetAddress("postmaster@example.test", "Mail Delivery System"))
            .to(new InternetAddress("alice@example.test"))
            .date(Instant.parse("2026-11-28T18:56:00Z"))
            .messageId("<r1.abc@example.test>")
            .subject("Undeliverable: Quarterly report")
            .text("The words.\n")
            .deliveryStatus("Reporting-MTA: dns; msa.example.test\r\n");
    }

    /** Written as it would be sent, then read back by a MIME parser. */
    private static MimeMessage writtenAndParsed(ReportMessage.Builder builder) throws Exception {
        MimeMessage message = builder.build();
        message.saveChanges();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        message.writeTo(bytes);
        return new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(bytes.toByteArray()));
    }

    private static String raw(BodyPart part) throws Exception {
        try (InputStream in = ((javax.mail.internet.MimeBodyPart) part).getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
