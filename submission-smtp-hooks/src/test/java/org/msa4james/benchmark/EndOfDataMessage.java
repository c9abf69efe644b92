package org.msa4james.benchmark;

import java.nio.charset.StandardCharsets;

import javax.mail.MessagingException;

import org.apache.james.core.MailAddress;
import org.apache.james.server.core.MailImpl;
import org.apache.james.server.core.MimeMessageSource;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;

/**
 * The message of the hook benchmarks as the message hooks get it at the end of DATA on port 587: the header a mail
 * user agent writes for alice@example.test, below the Received field James adds while it reads DATA, and a
 * conformant 7bit text body that makes the message exactly the requested size. It passes every header check
 * (From is alice's own address, {@code To: bob@sales} has a single-label domain the configured expansion accepts).
 */
final class EndOfDataMessage {
    static final String RECEIVED = "Received: from mua-7.dyn.example.net (EHLO mua.example.test) (["
        + BenchmarkSession.CLIENT_ADDRESS + "])\r\n"
        + "          by msa.example.test (JAMES SMTP Server ) with ESMTPA ID 5c72df5d\r\n"
        + "          for <bob@sales.example.test>;\r\n"
        + "          Sat, 28 Nov 2026 18:55:39 +0000 (UTC)";
    static final String HEADER = RECEIVED + "\r\n"
        + "From: Alice Liddell <alice@example.test>\r\n"
        + "To: Bob <bob@sales>, Carol <carol@example.net>\r\n"
        + "Cc: team@example.test\r\n"
        + "Subject: Quarterly report\r\n"
        + "Date: Sat, 28 Nov 2026 19:55:38 +0100\r\n"
        + "Message-ID: <3f1c9a7e-5b2d-4c1e-9f0a-7d6b5e4c3a21@mua.example.test>\r\n"
        + "MIME-Version: 1.0\r\n"
        + "Content-Type: text/plain; charset=us-ascii\r\n"
        + "Content-Transfer-Encoding: 7bit\r\n"
        + "User-Agent: Mutt/2.2.12 (2023-09-09)\r\n"
        + "\r\n";
    /** Octets of the header, the empty line that ends it included. */
    static final int HEADER_OCTETS = HEADER.getBytes(StandardCharsets.US_ASCII).length;

    private EndOfDataMessage() {
    }

    /** The message of exactly {@code octets} octets: {@link #HEADER}, then the body. */
    static byte[] bytes(int octets) {
        return BenchmarkMessages.bytes(HEADER, octets);
    }

    /**
     * The mail as James's SMTP server builds it at the end of DATA, before the message hooks run: a MailImpl with the
     * envelope and the session attributes, whose message is a James MimeMessageWrapper over {@code source} (nothing
     * parsed yet, no copy).
     */
    static MailImpl mail(String name, MimeMessageSource source) throws MessagingException {
        MailImpl mail = MailImpl.builder()
            .name(name)
            .sender(new MailAddress(BenchmarkSession.USER))
            .addRecipient(new MailAddress("bob@sales.example.test"))
            .addAttribute(new Attribute(Mail.SMTP_SESSION_ID, AttributeValue.of("5c72df5d")))
            .addAttribute(new Attribute(Mail.SMTP_AUTH_USER, AttributeValue.of(BenchmarkSession.USER)))
            .build();
        mail.setMessageContent(source);
        return mail;
    }
}
