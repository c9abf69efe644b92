package org.msa4james.benchmark;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

import javax.mail.MessagingException;

import org.apache.james.server.core.MailImpl;
import org.apache.james.server.core.MimeMessageSource;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * What the message benchmarks of the hooks and of the mailets (submission-mailets uses this module's test-jar) share:
 * a message of exactly the requested size made of a given header and a conformant 7bit text body (lines of 74 ASCII
 * characters and a last line of dots, each ending in CRLF), a message source that counts the octets read from it, and
 * the fresh mails of the benchmark states over such sources.
 */
public final class BenchmarkMessages {
    private static final String LINE = "The figures of the quarter, line after line, in plain 7bit ASCII text....";

    private BenchmarkMessages() {
    }

    /** "2KiB", "20MiB": the size of the whole message in octets. */
    public static int octets(String size) {
        String value = size.trim().toUpperCase(Locale.ROOT);
        if (value.endsWith("KIB")) {
            return Integer.parseInt(value.substring(0, value.length() - 3)) * 1024;
        }
        if (value.endsWith("MIB")) {
            return Integer.parseInt(value.substring(0, value.length() - 3)) * 1024 * 1024;
        }
        return Integer.parseInt(value);
    }

    /** The message of exactly {@code octets} octets: {@code header}, then CRLF-terminated lines of at most 151 octets. */
    public static byte[] bytes(String headerText, int octets) {
        byte[] header = headerText.getBytes(StandardCharsets.US_ASCII);
        if (octets < header.length + 2) {
            throw new IllegalArgumentException("a message of " + octets + " octets cannot hold the header (" + header.length + " octets)");
        }
        byte[] message = new byte[octets];
        System.arraycopy(header, 0, message, 0, header.length);
        byte[] line = (LINE + "\r\n").getBytes(StandardCharsets.US_ASCII);
        int position = header.length;
        int lines = (octets - position) / line.length - 1;
        if (lines > 0) {
            // the first line, then the lines written so far copied after them: no long loop for the JIT to compile
            // while the benchmark warms up
            System.arraycopy(line, 0, message, position, line.length);
            int written = 1;
            while (written < lines) {
                int copied = Math.min(written, lines - written);
                System.arraycopy(message, position, message, position + written * line.length, copied * line.length);
                written += copied;
            }
            position += lines * line.length;
        }
        // the last line, of fewer than 2 * 76 octets: dots, then CRLF
        while (position < octets - 2) {
            message[position++] = '.';
        }
        message[octets - 2] = '\r';
        message[octets - 1] = '\n';
        return message;
    }

    /** The method name of the running benchmark. */
    public static String benchmarkName(BenchmarkParams params) {
        return params.getBenchmark().substring(params.getBenchmark().lastIndexOf('.') + 1);
    }

    /** How a benchmark builds its mail, as James hands it over, over a message source. */
    @FunctionalInterface
    public interface MailFactory {
        MailImpl mail(String name, MimeMessageSource source) throws MessagingException;
    }

    /** The fresh mails of a benchmark state, one an operation, each over a new counting source of the same bytes. */
    public static final class FreshMails {
        private final MailFactory factory;
        private CountingSource source;
        private long sequence;

        public FreshMails(MailFactory factory) {
            this.factory = factory;
        }

        /** A fresh mail named mail-N over a new counting source of {@code bytes} (shared, not copied). */
        public MailImpl next(byte[] bytes) throws MessagingException {
            source = new CountingSource(bytes);
            return factory.mail("mail-" + sequence++, source);
        }

        /** Octets read from the source of the last mail. */
        public long octetsRead() {
            return source.octetsRead();
        }
    }

    /**
     * A James message source over bytes held in memory (shared, never copied), which counts the octets its streams
     * give out: what anything reading the message, header or body, has consumed.
     */
    public static final class CountingSource implements MimeMessageSource {
        private final byte[] bytes;
        private long octetsRead;

        public CountingSource(byte[] bytes) {
            this.bytes = bytes;
        }

        public long octetsRead() {
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
