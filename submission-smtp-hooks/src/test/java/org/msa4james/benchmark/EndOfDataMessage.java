package org.msa4james.benchmark;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

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

    private static final String LINE = "The figures of the quarter, line after line, in plain 7bit ASCII text....";

    private EndOfDataMessage() {
    }

    /** "2KiB", "20MiB": the size of the whole message in octets. */
    static int octets(String size) {
        String value = size.trim().toUpperCase(Locale.ROOT);
        if (value.endsWith("KIB")) {
            return Integer.parseInt(value.substring(0, value.length() - 3)) * 1024;
        }
        if (value.endsWith("MIB")) {
            return Integer.parseInt(value.substring(0, value.length() - 3)) * 1024 * 1024;
        }
        return Integer.parseInt(value);
    }

    /** The message of exactly {@code octets} octets: {@link #HEADER}, then CRLF-terminated lines of at most 151 octets. */
    static byte[] bytes(int octets) {
        byte[] header = HEADER.getBytes(StandardCharsets.US_ASCII);
        if (octets < header.length + 2) {
            throw new IllegalArgumentException("a message of " + octets + " octets cannot hold the header (" + header.length + " octets)");
        }
        byte[] message = new byte[octets];
        System.arraycopy(header, 0, message, 0, header.length);
        byte[] line = (LINE + "\r\n").getBytes(StandardCharsets.US_ASCII);
        int position = header.length;
        int lines = (octets - position) / line.length - 1;
        if (lines > 0) {
            System.arraycopy(line, 0, message, position, line.length);
            int written = 1;
            while (written < lines) {
                int copied = Math.min(written, lines - written);
                System.arraycopy(message, position, message, position + written * line.length, copied * line.length);
                written += copied;
            }
            position += lines * line.length;
        }
        while (position < octets - 2) {
            message[position++] = '.';
        }
        message[octets - 2] = '\r';
        message[octets - 1] = '\n';
        return message;
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

    /** A James message source over bytes held in memory (shared, never copied) that counts the octets read from it. */
    static final class CountingSource implements MimeMessageSource {
        private final byte[] bytes;
        private long octetsRead;

        CountingSource(byte[] bytes) {
            this.bytes = bytes;
        }

        long octetsRead() {
            return octetsRead;
        }

        @Override
        public String getSourceId() {
            return "benchmark-" + bytes.length;
        }

        @Override
        public InputStream getInputStream() {
            return new FilterInputStream(new ByteArrayInputStream(bytes)) {
                @Override
                public int read() throws IOException {
                    int octet = super.read();
                    if (octet >= 0) {
                        octetsRead++;
                    }
                    return octet;
                }

                @Override
                public int read(byte[] buffer, int offset, int length) throws IOException {
                    int count = super.read(buffer, offset, length);
                    if (count > 0) {
                        octetsRead += count;
                    }
                    return count;
                }

                @Override
                public long skip(long count) throws IOException {
                    long skipped = super.skip(count);
                    octetsRead += skipped;
                    return skipped;
                }
            };
        }

        @Override
        public long getMessageSize() {
            return bytes.length;
        }
    }
}
