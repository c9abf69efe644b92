package org.msa4james.it;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import javax.mail.BodyPart;
import javax.mail.MessagingException;
import javax.mail.Multipart;
import javax.mail.Session;
import javax.mail.internet.ContentType;
import javax.mail.internet.MailDateFormat;
import javax.mail.internet.MimeBodyPart;
import javax.mail.internet.MimeMessage;
import javax.mail.internet.MimeUtility;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;

/**
 * A delivery status notification as read back from a mailbox over IMAP, parsed with JavaMail's MIME parser: its
 * header, its three parts (RFC 6522 multipart/report), and the fields of its message/delivery-status part (RFC 3464)
 * block by block, unfolded, in their order.
 */
public final class ReceivedReport {
    private final byte[] raw;
    private final MimeMessage message;
    private final Multipart parts;

    private ReceivedReport(byte[] raw) throws MessagingException, IOException {
        this.raw = raw.clone();
        this.message = new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(raw));
        this.parts = (Multipart) message.getContent();
    }

    public static ReceivedReport parse(byte[] raw) throws MessagingException, IOException {
        return new ReceivedReport(raw);
    }

    /** The whole message as the IMAP server returned it. */
    public String raw() {
        return new String(raw, StandardCharsets.ISO_8859_1);
    }

    /** The value of a header field, unfolded; null when absent. */
    public String header(String name) throws MessagingException {
        String value = message.getHeader(name, null);
        return value == null ? null : MimeUtility.unfold(value);
    }

    public String subject() throws MessagingException {
        return message.getSubject();
    }

    public Instant date() throws MessagingException {
        return message.getSentDate().toInstant();
    }

    public ContentType contentType() throws MessagingException {
        return new ContentType(message.getContentType());
    }

    public int partCount() throws MessagingException {
        return parts.getCount();
    }

    /** The base type of a part, e.g. "message/delivery-status". */
    public String partType(int index) throws MessagingException {
        return new ContentType(parts.getBodyPart(index).getContentType()).getBaseType();
    }

    /** A part's content, transfer-decoded, as text. */
    public String part(int index) throws MessagingException, IOException {
        BodyPart part = parts.getBodyPart(index);
        try (InputStream in = ((MimeBodyPart) part).getInputStream()) {
            String charset = new ContentType(part.getContentType()).getParameter("charset");
            return new String(in.readAllBytes(), charset == null ? "US-ASCII" : MimeUtility.javaCharset(charset));
        }
    }

    /** The first part: the words for people. */
    public String text() throws MessagingException, IOException {
        return part(0);
    }

    /** The per-message fields of the delivery-status part. */
    public Map<String, String> perMessageFields() throws MessagingException, IOException {
        return blocks().get(0);
    }

    /** The per-recipient blocks of the delivery-status part, in order. */
    public List<Map<String, String>> recipientFields() throws MessagingException, IOException {
        List<Map<String, String>> blocks = blocks();
        return blocks.subList(1, blocks.size());
    }

    private List<Map<String, String>> blocks() throws MessagingException, IOException {
        String status = part(1);
        List<Map<String, String>> blocks = new ArrayList<>();
        for (String block : status.split("\r\n\r\n")) {
            Map<String, String> fields = new LinkedHashMap<>();
            String unfolded = block.replaceAll("\r\n(?=[ \t])", "");
            for (String line : unfolded.split("\r\n")) {
                if (line.isEmpty()) {
                    continue;
                }
                int colon = line.indexOf(':');
                if (colon <= 0) {
                    throw new IllegalStateException("not a field: '" + line + "' in\n" + status);
                }
                if (fields.put(line.substring(0, colon), line.substring(colon + 1).trim()) != null) {
                    throw new IllegalStateException("field " + line.substring(0, colon) + " twice in a block of\n" + status);
                }
            }
            blocks.add(ImmutableMap.copyOf(fields));
        }
        return ImmutableList.copyOf(blocks);
    }

    /** An RFC 5322 date-time of a field, e.g. Arrival-Date. */
    public static Instant dateTime(String value) {
        try {
            return new MailDateFormat().parse(value).toInstant();
        } catch (java.text.ParseException e) {
            throw new IllegalArgumentException("not an RFC 5322 date-time: '" + value + "'", e);
        }
    }
}
