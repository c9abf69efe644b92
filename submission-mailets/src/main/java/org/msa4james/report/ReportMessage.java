package org.msa4james.report;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Objects;
import java.util.Properties;

import javax.activation.DataHandler;
import javax.mail.MessagingException;
import javax.mail.Session;
import javax.mail.internet.ContentType;
import javax.mail.internet.InternetAddress;
import javax.mail.internet.MimeBodyPart;
import javax.mail.internet.MimeMessage;
import javax.mail.internet.MimeMultipart;
import javax.mail.internet.ParseException;
import javax.mail.util.ByteArrayDataSource;

import com.google.common.base.CharMatcher;
import com.google.common.base.Preconditions;

/**
 * A delivery status notification as a message (RFC 3464, RFC 6522): {@code multipart/report;
 * report-type=delivery-status} with the words for people ({@code text/plain}), the fields for software
 * ({@code message/delivery-status}) and, as the sender asked with RET, the original message ({@code message/rfc822}) or
 * its header ({@code text/rfc822-headers}).
 *
 * <p>A well-formed message of its own: Date, From, To, Subject, the given Message-ID (never one JavaMail makes up
 * from the machine's name) and {@code Auto-Submitted: auto-replied} (RFC 3834), so that no auto-responder answers it.
 * Its envelope, set by the caller, has the null sender.</p>
 */
public final class ReportMessage {
    private static final Session SESSION = Session.getInstance(new Properties());
    private static final String MESSAGE_ID = "Message-ID";

    private ReportMessage() {
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private InternetAddress from;
        private InternetAddress to;
        private Instant date;
        private String messageId;
        private String subject;
        private String text;
        private String deliveryStatus;
        private ReportText.Returned returned = ReportText.Returned.NOTHING;
        private byte[] returnedContent = new byte[0];

        private Builder() {
        }

        /** The author, e.g. "Mail Delivery System &lt;postmaster@example.test&gt;". */
        public Builder from(InternetAddress value) {
            this.from = value;
            return this;
        }

        /** The sender of the message reported on. */
        public Builder to(InternetAddress value) {
            this.to = value;
            return this;
        }

        public Builder date(Instant value) {
            this.date = value;
            return this;
        }

        /** A msg-id with its angle brackets. */
        public Builder messageId(String value) {
            this.messageId = value;
            return this;
        }

        public Builder subject(String value) {
            this.subject = value;
            return this;
        }

        /** The first part, for people. */
        public Builder text(String value) {
            this.text = value;
            return this;
        }

        /** The second part's body, see {@link DeliveryStatusFields}. */
        public Builder deliveryStatus(String value) {
            this.deliveryStatus = value;
            return this;
        }

        /** The third part: the whole message or its header section, as bytes; none with {@code NOTHING}. */
        public Builder returned(ReportText.Returned kind, byte[] content) {
            this.returned = kind;
            this.returnedContent = content.clone();
            return this;
        }

        public MimeMessage build() throws MessagingException {
            Preconditions.checkState(from != null && to != null && date != null && messageId != null && subject != null
                && text != null && deliveryStatus != null, "from, to, date, messageId, subject, text and deliveryStatus are required");
            MimeMessage message = new ReportMimeMessage(messageId);
            message.setHeader("Date", DeliveryStatusFields.date(date));
            message.setFrom(from);
            message.setRecipient(javax.mail.Message.RecipientType.TO, to);
            message.setSubject(subject, StandardCharsets.UTF_8.name());
            message.setHeader("Auto-Submitted", "auto-replied");

            MimeMultipart report = new ReportMultipart();
            MimeBodyPart words = new MimeBodyPart();
            words.setText(text, CharMatcher.ascii().matchesAllOf(text) ? "us-ascii" : StandardCharsets.UTF_8.name());
            report.addBodyPart(words);
            report.addBodyPart(part(deliveryStatus.getBytes(StandardCharsets.US_ASCII), "message/delivery-status"));
            if (returned == ReportText.Returned.MESSAGE) {
                MimeBodyPart original = part(returnedContent, "message/rfc822");
                if (hasEightBitData(returnedContent)) {
                    original.setHeader("Content-Transfer-Encoding", "8bit");
                }
                report.addBodyPart(original);
            } else if (returned == ReportText.Returned.HEADER) {
                report.addBodyPart(part(returnedContent, "text/rfc822-headers"));
            }
            message.setContent(report);
            message.saveChanges();
            return message;
        }

        private static MimeBodyPart part(byte[] content, String type) throws MessagingException {
            MimeBodyPart part = new MimeBodyPart();
            part.setDataHandler(new DataHandler(new ByteArrayDataSource(content, type)));
            part.setHeader("Content-Type", type);
            return part;
        }

        private static boolean hasEightBitData(byte[] content) {
            for (byte b : content) {
                if (b < 0) {
                    return true;
                }
            }
            return false;
        }
    }

    /** Keeps the Message-ID it was given when JavaMail updates the header (which would make one up). */
    private static final class ReportMimeMessage extends MimeMessage {
        private final String messageId;

        ReportMimeMessage(String messageId) {
            super(SESSION);
            this.messageId = Objects.requireNonNull(messageId);
        }

        @Override
        protected void updateMessageID() throws MessagingException {
            setHeader(MESSAGE_ID, messageId);
        }
    }

    /** multipart/report with report-type=delivery-status (RFC 6522). */
    private static final class ReportMultipart extends MimeMultipart {
        ReportMultipart() throws ParseException {
            super("report");
            ContentType type = new ContentType(contentType);
            type.setParameter("report-type", "delivery-status");
            contentType = type.toString();
        }
    }
}
