package org.msa4james.mailet;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.mail.MessagingException;
import javax.mail.Session;
import javax.mail.internet.MimeMessage;

import org.apache.james.server.core.MimeMessageSource;
import org.apache.james.server.core.MimeMessageWrapper;

/**
 * A message as James holds it after SMTP (a {@link MimeMessageWrapper} over a {@link MimeMessageSource}) whose
 * source serves the header and then fails the test, with an {@link AssertionError}, as soon as anything reads
 * a byte of the body; {@code saveChanges()}, which a header-only mailet must leave to James, fails too. A mailet
 * that only works on header fields never trips it.
 */
final class BodyTrapMessage implements MimeMessageSource {
    private static final long BODY_SIZE = 20L * 1024 * 1024;

    private final byte[] header;
    private final AtomicBoolean bodyRead = new AtomicBoolean();
    private final MimeMessageWrapper message;

    private BodyTrapMessage(String header) {
        this.header = header.getBytes(StandardCharsets.UTF_8);
        this.message = new MimeMessageWrapper(Session.getInstance(new Properties()), this) {
            @Override
            public void saveChanges() {
                throw new AssertionError("saveChanges() was called: James saves the message itself when it stores it");
            }
        };
    }

    /** A message with these header lines (folded lines hold their CRLF), then an empty line and a trapped body. */
    static BodyTrapMessage withHeader(String... headerLines) {
        StringBuilder header = new StringBuilder();
        for (String line : headerLines) {
            header.append(line).append("\r\n");
        }
        return new BodyTrapMessage(header.append("\r\n").toString());
    }

    MimeMessage message() {
        return message;
    }

    boolean bodyWasRead() {
        return bodyRead.get();
    }

    /** The header lines of the message as they stand now, in order. */
    List<String> headerLines() throws MessagingException {
        return Collections.list(message.getAllHeaderLines());
    }

    @Override
    public String getSourceId() {
        return "body-trap";
    }

    @Override
    public InputStream getInputStream() {
        return new SequenceInputStream(new ByteArrayInputStream(header), new InputStream() {
            @Override
            public int read() {
                return trip();
            }

            @Override
            public int read(byte[] buffer, int offset, int length) {
                return trip();
            }
        });
    }

    private int trip() {
        bodyRead.set(true);
        throw new AssertionError("the body of the message was read");
    }

    @Override
    public long getMessageSize() {
        return header.length + BODY_SIZE;
    }
}
