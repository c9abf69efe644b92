package org.msa4james.server.persistent;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import javax.mail.MessagingException;
import javax.mail.internet.AddressException;
import javax.mail.internet.MimeMessage;

import org.apache.james.server.core.MailImpl;
import org.apache.james.server.core.MimeMessageSource;
import org.apache.james.server.core.MimeMessageWrapper;
import org.apache.james.core.MailAddress;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.apache.mailet.PerRecipientHeaders;

/**
 * One queued mail in one file, written and synced before the enqueue returns:
 * <pre>
 *   "MSA4JQ1\n"                 8 bytes
 *   next delivery               8 bytes, epoch milliseconds (rewritten in place by a flush)
 *   envelope length             4 bytes
 *   envelope                    the mail without its message (name, sender, recipients, state, error message,
 *                               remote host and address, last update, attributes, per-recipient headers)
 *   message                     the RFC 5322 bytes, as the mail carried them
 *   message length              8 bytes
 *   "MSA4JEND"                  8 bytes
 * </pre>
 * The trailer tells a complete file from one cut short by a crash: a file without it was never acknowledged (the
 * enqueue had not returned) and is set aside at start.
 */
final class QueueFile {
    static final String SUFFIX = ".mail";
    private static final byte[] MAGIC = "MSA4JQ1\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END = "MSA4JEND".getBytes(StandardCharsets.US_ASCII);
    private static final int NEXT_DELIVERY_OFFSET = MAGIC.length;
    private static final int HEADER_LENGTH = MAGIC.length + Long.BYTES + Integer.BYTES;
    private static final int TRAILER_LENGTH = Long.BYTES + END.length;
    private static final int MAX_ENVELOPE_LENGTH = 64 << 20;
    private static final int ENVELOPE_VERSION = 1;

    private QueueFile() {
    }

    /** The parts of a queue file read without its message. */
    static final class Envelope {
        final MailImpl mail;
        final long nextDelivery;
        final long messageOffset;
        final long messageLength;

        private Envelope(MailImpl mail, long nextDelivery, long messageOffset, long messageLength) {
            this.mail = mail;
            this.nextDelivery = nextDelivery;
            this.messageOffset = messageOffset;
            this.messageLength = messageLength;
        }
    }

    /**
     * Writes {@code mail} into the new file {@code file} and syncs it. On failure nothing is left behind.
     */
    static void write(Path file, Mail mail, long nextDelivery) throws IOException, MessagingException {
        byte[] envelope = envelope(mail);
        boolean written = false;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            CountingOutputStream counting = new CountingOutputStream(new BufferedOutputStream(
                Channels.newOutputStream(channel), 64 * 1024));
            DataOutputStream out = new DataOutputStream(counting);
            out.write(MAGIC);
            out.writeLong(nextDelivery);
            out.writeInt(envelope.length);
            out.write(envelope);
            long before = counting.count;
            writeMessage(mail.getMessage(), out);
            long messageLength = counting.count - before;
            out.writeLong(messageLength);
            out.write(END);
            out.flush();
            channel.force(true);
            written = true;
        } finally {
            if (!written) {
                Files.deleteIfExists(file);
            }
        }
    }

    /**
     * The message: a James message nobody has changed (the spool's, just received over SMTP) as the octets of its
     * source, copied; any other through {@code writeTo}, which parses the source's header again and, for a changed
     * message, saves the changes first (JavaMail's {@code saveChanges}), as James's own stores do.
     */
    private static void writeMessage(MimeMessage message, OutputStream out) throws IOException, MessagingException {
        if (message instanceof MimeMessageWrapper && !((MimeMessageWrapper) message).isModified()) {
            try (InputStream source = ((MimeMessageWrapper) message).getMessageInputStream()) {
                source.transferTo(out);
            }
        } else if (message != null) {
            message.writeTo(out);
        }
    }

    /**
     * The envelope in a compact form of our own: name, sender, recipients, state, error message, remote host and
     * address, last update, attributes (see {@link #writeAttribute}), per-recipient headers.
     */
    private static byte[] envelope(Mail mail) throws IOException, MessagingException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeByte(ENVELOPE_VERSION);
        writeString(out, mail.getName());
        writeString(out, mail.getMaybeSender().asOptional().map(MailAddress::asString).orElse(null));
        Collection<MailAddress> recipients = mail.getRecipients();
        out.writeInt(recipients.size());
        for (MailAddress recipient : recipients) {
            writeString(out, recipient.asString());
        }
        writeString(out, mail.getState());
        writeString(out, mail.getErrorMessage());
        writeString(out, mail.getRemoteHost());
        writeString(out, mail.getRemoteAddr());
        Date lastUpdated = mail.getLastUpdated();
        out.writeLong(lastUpdated == null ? Long.MIN_VALUE : lastUpdated.getTime());
        List<Attribute> attributes = mail.attributes().collect(Collectors.toList());
        ByteArrayOutputStream attributeBytes = new ByteArrayOutputStream(256);
        DataOutputStream attributeOut = new DataOutputStream(attributeBytes);
        int kept = 0;
        for (Attribute attribute : attributes) {
            if (writeAttribute(attributeOut, attribute)) {
                kept++;
            }
        }
        out.writeInt(kept);
        attributeOut.flush();
        attributeBytes.writeTo(out);
        Map<MailAddress, Collection<PerRecipientHeaders.Header>> headers =
            mail.getPerRecipientSpecificHeaders().getHeadersByRecipient().asMap();
        out.writeInt(headers.size());
        for (Map.Entry<MailAddress, Collection<PerRecipientHeaders.Header>> entry : headers.entrySet()) {
            writeString(out, entry.getKey().asString());
            out.writeInt(entry.getValue().size());
            for (PerRecipientHeaders.Header header : entry.getValue()) {
                writeString(out, header.getName());
                writeString(out, header.getValue());
            }
        }
        out.flush();
        return bytes.toByteArray();
    }

    private static MailImpl mail(Path file, byte[] envelope) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(envelope));
        try {
            int version = in.readUnsignedByte();
            if (version != ENVELOPE_VERSION) {
                throw new IOException(file + " has an envelope of an unknown version " + version);
            }
            MailImpl.Builder mail = MailImpl.builder().name(readString(in));
            String sender = readString(in);
            if (sender != null) {
                mail.sender(new MailAddress(sender));
            }
            int recipients = count(in, file);
            for (int i = 0; i < recipients; i++) {
                mail.addRecipient(new MailAddress(readString(in)));
            }
            String state = readString(in);
            Optional.ofNullable(state).ifPresent(mail::state);
            Optional.ofNullable(readString(in)).ifPresent(mail::errorMessage);
            Optional.ofNullable(readString(in)).ifPresent(mail::remoteHost);
            Optional.ofNullable(readString(in)).ifPresent(mail::remoteAddr);
            long lastUpdated = in.readLong();
            if (lastUpdated != Long.MIN_VALUE) {
                mail.lastUpdated(new Date(lastUpdated));
            }
            int attributes = count(in, file);
            for (int i = 0; i < attributes; i++) {
                mail.addAttribute(readAttribute(in, file));
            }
            int recipientsWithHeaders = count(in, file);
            for (int i = 0; i < recipientsWithHeaders; i++) {
                MailAddress recipient = new MailAddress(readString(in));
                int headers = count(in, file);
                for (int j = 0; j < headers; j++) {
                    mail.addHeaderForRecipient(PerRecipientHeaders.Header.builder()
                        .name(readString(in)).value(readString(in)).build(), recipient);
                }
            }
            MailImpl built = mail.build();
            if (state == null) {
                built.setState(null);
            }
            return built;
        } catch (AddressException | IllegalArgumentException | NullPointerException e) {
            throw new IOException(file + " has an unreadable envelope: " + e, e);
        }
    }

    /**
     * An attribute: its name, then strings, booleans, integers and longs as themselves (most attributes are), any
     * other value as the JSON James gives it. An attribute without a JSON form is not kept (as in James's own mail
     * serialisation); false is returned for it.
     */
    private static boolean writeAttribute(DataOutputStream out, Attribute attribute) throws IOException {
        Object value = attribute.getValue().value();
        if (value instanceof String) {
            writeString(out, attribute.getName().asString());
            out.writeByte('S');
            writeString(out, (String) value);
        } else if (value instanceof Boolean) {
            writeString(out, attribute.getName().asString());
            out.writeByte('B');
            out.writeBoolean((Boolean) value);
        } else if (value instanceof Integer) {
            writeString(out, attribute.getName().asString());
            out.writeByte('I');
            out.writeInt((Integer) value);
        } else if (value instanceof Long) {
            writeString(out, attribute.getName().asString());
            out.writeByte('L');
            out.writeLong((Long) value);
        } else {
            Optional<String> json = attribute.getValue().toJson().map(Object::toString);
            if (json.isEmpty()) {
                return false;
            }
            writeString(out, attribute.getName().asString());
            out.writeByte('J');
            writeString(out, json.get());
        }
        return true;
    }

    private static Attribute readAttribute(DataInputStream in, Path file) throws IOException {
        AttributeName name = AttributeName.of(readString(in));
        int type = in.readUnsignedByte();
        switch (type) {
            case 'S':
                return new Attribute(name, AttributeValue.of(readString(in)));
            case 'B':
                return new Attribute(name, AttributeValue.of(in.readBoolean()));
            case 'I':
                return new Attribute(name, AttributeValue.of(in.readInt()));
            case 'L':
                return new Attribute(name, AttributeValue.of(in.readLong()));
            case 'J':
                return new Attribute(name, AttributeValue.fromJsonString(readString(in)));
            default:
                throw new IOException(file + " has an attribute of an unknown type " + type);
        }
    }

    private static int count(DataInputStream in, Path file) throws IOException {
        int count = in.readInt();
        if (count < 0 || count > MAX_ENVELOPE_LENGTH) {
            throw new IOException(file + " has an unreadable envelope: a count of " + count);
        }
        return count;
    }

    /** A string of any length, or null: its UTF-8 length (-1 for null) then its bytes. */
    private static void writeString(DataOutputStream out, String value) throws IOException {
        if (value == null) {
            out.writeInt(-1);
            return;
        }
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static String readString(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length == -1) {
            return null;
        }
        if (length < 0 || length > in.available()) {
            throw new IOException("a string of " + length + " bytes where " + in.available() + " are left");
        }
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** Reads the envelope and checks the trailer. */
    static Envelope read(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size < HEADER_LENGTH + TRAILER_LENGTH) {
                throw new IncompleteQueueFileException(file + " is cut short (" + size + " bytes)");
            }
            ByteBuffer trailer = ByteBuffer.allocate(TRAILER_LENGTH);
            readFully(channel, trailer, size - TRAILER_LENGTH);
            trailer.flip();
            long messageLength = trailer.getLong();
            byte[] end = new byte[END.length];
            trailer.get(end);
            if (!Arrays.equals(end, END)) {
                throw new IncompleteQueueFileException(file + " has no end mark: it was cut short");
            }
            DataInputStream in = new DataInputStream(new BufferedInputStream(
                Channels.newInputStream(channel.position(0)), 16 * 1024));
            byte[] magic = new byte[MAGIC.length];
            in.readFully(magic);
            if (!Arrays.equals(magic, MAGIC)) {
                throw new IOException(file + " is not a queue file of this version");
            }
            long nextDelivery = in.readLong();
            int envelopeLength = in.readInt();
            long messageOffset = (long) HEADER_LENGTH + envelopeLength;
            if (envelopeLength <= 0 || envelopeLength > MAX_ENVELOPE_LENGTH || messageOffset + messageLength + TRAILER_LENGTH != size) {
                throw new IOException(file + " has inconsistent lengths (envelope " + envelopeLength + ", message "
                    + messageLength + ", file " + size + ")");
            }
            byte[] envelope = new byte[envelopeLength];
            in.readFully(envelope);
            return new Envelope(mail(file, envelope), nextDelivery, messageOffset, messageLength);
        }
    }

    /** The mail of {@code file}, its message read from the file when first needed. */
    static MailImpl load(Path file) throws IOException, MessagingException {
        Envelope envelope = read(file);
        MailImpl mail = envelope.mail;
        mail.setMessageContent(new MessageSource(file, envelope.messageOffset, envelope.messageLength));
        return mail;
    }

    /** Rewrites the next delivery time of a queued mail, synced. */
    static void setNextDelivery(Path file, long nextDelivery) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.allocate(Long.BYTES).putLong(nextDelivery);
            buffer.flip();
            while (buffer.hasRemaining()) {
                channel.write(buffer, NEXT_DELIVERY_OFFSET + buffer.position());
            }
            channel.force(false);
        }
    }

    private static void readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, position + buffer.position()) < 0) {
                throw new IOException("unexpected end of file");
            }
        }
    }

    /** A queue file that a crash cut short before its enqueue returned. */
    static final class IncompleteQueueFileException extends IOException {
        IncompleteQueueFileException(String message) {
            super(message);
        }
    }

    /** The message bytes of a queue file, read from the file each time James asks for them. */
    static final class MessageSource implements MimeMessageSource {
        private final Path file;
        private final long offset;
        private final long length;

        MessageSource(Path file, long offset, long length) {
            this.file = file;
            this.offset = offset;
            this.length = length;
        }

        @Override
        public String getSourceId() {
            return file.toString();
        }

        @Override
        public InputStream getInputStream() throws IOException {
            FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
            try {
                channel.position(offset);
                return new BufferedInputStream(new BoundedInputStream(Channels.newInputStream(channel), length), 16 * 1024);
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
        }

        @Override
        public long getMessageSize() {
            return length;
        }
    }

    /** At most {@code remaining} bytes of a stream. */
    private static final class BoundedInputStream extends InputStream {
        private final InputStream in;
        private long remaining;

        BoundedInputStream(InputStream in, long remaining) {
            this.in = in;
            this.remaining = remaining;
        }

        @Override
        public int read() throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int read = in.read();
            if (read >= 0) {
                remaining--;
            }
            return read;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int read = in.read(buffer, offset, (int) Math.min(length, remaining));
            if (read > 0) {
                remaining -= read;
            }
            return read;
        }

        @Override
        public int available() throws IOException {
            return (int) Math.min(in.available(), remaining);
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    /** Counts what goes through; leaves the channel open for the sync after the last write. */
    private static final class CountingOutputStream extends FilterOutputStream {
        private long count;

        CountingOutputStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] buffer, int offset, int length) throws IOException {
            out.write(buffer, offset, length);
            count += length;
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
