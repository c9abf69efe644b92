package org.msa4james.benchmark;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import javax.mail.MessagingException;

import org.apache.james.core.MailAddress;
import org.apache.james.server.core.MailImpl;
import org.apache.james.server.core.MimeMessageSource;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.msa4james.submission.SubmissionAttributes;

/**
 * The message of the benchmarks, as alice@example.test submits it on port 587 and as James's spool hands it to the
 * {@code submission} processor: a header every header-only mailet of the chain has to change, and a conformant
 * 7bit text body that makes the message exactly the requested size.
 *
 * <p>The header has no Date and no Message-ID (AddMissingDate and AddMissingMessageId add them), From names
 * another author than the authenticated user (AddSender adds Sender), {@code To: bob@sales} has a single-label
 * domain (QualifyAddresses expands it), and there is the Received field James writes for the submission, a
 * Reply-To in an internal host domain and X-Originating-IP (ConcealLocalAddresses hides the client, rewrites the
 * domain by the map and removes the field). The body is lines of 74 ASCII characters and a last line of dots, each
 * ending in CRLF: TransferEncode finds nothing to re-encode and leaves the message as it is.</p>
 */
final class SubmittedMessage {
    static final String USER = "alice@example.test";
    static final String CLIENT_ADDRESS = "192.0.2.7";
    static final String SESSION_ID = "5c72df5d";
    static final Instant RECEIVED_AT = Instant.parse("2026-11-28T18:55:39.123Z");
    static final String RECEIVED_AT_RFC5322 = "Sat, 28 Nov 2026 18:55:39 +0000";

    /** The Received field as James 3.8.1 writes it for a submission on port 587. */
    static final String JAMES_RECEIVED = "Received: from mua-7.dyn.example.net (EHLO mua.example.test) ([" + CLIENT_ADDRESS + "])\r\n"
        + "          by msa.example.test (JAMES SMTP Server ) with ESMTPA ID " + SESSION_ID + "\r\n"
        + "          for <bob@sales.example.test>;\r\n"
        + "          Sat, 28 Nov 2026 18:55:39 +0000 (UTC)";
    static final String FROM = "From: Sales Team <team@example.test>";
    static final String REPLY_TO = "Reply-To: Alice <alice@squeaky.sales.example.test>";
    static final String TO = "To: bob@sales";
    static final String X_ORIGINATING_IP = "X-Originating-IP: [" + CLIENT_ADDRESS + "]";

    static final String HEADER = JAMES_RECEIVED + "\r\n"
        + FROM + "\r\n"
        + REPLY_TO + "\r\n"
        + TO + "\r\n"
        + "Subject: Quarterly report\r\n"
        + "MIME-Version: 1.0\r\n"
        + "Content-Type: text/plain; charset=us-ascii\r\n"
        + "Content-Transfer-Encoding: 7bit\r\n"
        + "User-Agent: Mutt/2.2.12 (2023-09-09)\r\n"
        + X_ORIGINATING_IP + "\r\n"
        + "\r\n";
    /** Octets of the header, the empty line that ends it included: all a header-only mailet needs to read. */
    static final int HEADER_OCTETS = HEADER.getBytes(StandardCharsets.US_ASCII).length;

    private SubmittedMessage() {
    }

    /** The message of exactly {@code octets} octets: {@link #HEADER}, then the body (submission-smtp-hooks' test-jar). */
    static byte[] bytes(int octets) {
        return BenchmarkMessages.bytes(HEADER, octets);
    }

    /**
     * A fresh mail as James's SMTP server hands it over: a MailImpl whose message is a James MimeMessageWrapper over
     * {@code source} (nothing parsed yet), with the attributes the submission hooks and James set.
     */
    static MailImpl mail(String name, MimeMessageSource source) throws MessagingException {
        MailImpl mail = MailImpl.builder()
            .name(name)
            .sender(new MailAddress(USER))
            .addRecipient(new MailAddress("bob@sales.example.test"))
            .addAttribute(new Attribute(SubmissionAttributes.LISTENER, AttributeValue.of("submission")))
            .addAttribute(new Attribute(SubmissionAttributes.USER, AttributeValue.of(USER)))
            .addAttribute(new Attribute(SubmissionAttributes.TLS_PROTOCOL, AttributeValue.of("TLSv1.3")))
            .addAttribute(new Attribute(SubmissionAttributes.CLIENT_ADDRESS, AttributeValue.of(CLIENT_ADDRESS)))
            .addAttribute(new Attribute(SubmissionAttributes.RECEIVED_AT, AttributeValue.of(RECEIVED_AT.toString())))
            .addAttribute(new Attribute(Mail.SMTP_SESSION_ID, AttributeValue.of(SESSION_ID)))
            .build();
        // as James's SMTP server does: the wrapper takes the source as it is, no copy
        mail.setMessageContent(source);
        return mail;
    }
}
