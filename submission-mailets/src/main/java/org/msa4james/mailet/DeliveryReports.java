package org.msa4james.mailet;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Collection;
import java.util.EnumSet;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;
import javax.mail.internet.MimeUtility;

import org.apache.james.core.MailAddress;
import org.apache.mailet.DsnParameters;
import org.apache.mailet.DsnParameters.Notify;
import org.apache.mailet.DsnParameters.RecipientDsnParameters;
import org.apache.mailet.Mail;
import org.msa4james.dsn.DsnAttributes;
import org.msa4james.report.DeliveryReport;
import org.msa4james.report.RecipientStatus;
import org.msa4james.report.ReportAction;
import org.msa4james.report.ReportText;
import org.msa4james.submission.SubmissionAttributes;

import com.google.common.collect.ImmutableList;

/**
 * Reads what a delivery status notification needs from a James {@link Mail}: which recipients asked for a report of
 * this kind (NOTIFY, RFC 3461 section 4.1), the per-message and per-recipient fields (James's DSN parameters and
 * msa4james's {@link DsnAttributes}), and what of the message to return (RET, section 4.3).
 */
final class DeliveryReports {
    private DeliveryReports() {
    }

    /**
     * The recipients whose NOTIFY asks for a report of this kind: failed unless NOTIFY is given without FAILURE (so a
     * recipient without NOTIFY gets failure reports), delayed with DELAY, delivered and relayed with SUCCESS.
     */
    static List<MailAddress> requested(Mail mail, ReportAction action) {
        Optional<DsnParameters> dsn = mail.dsnParameters();
        return mail.getRecipients().stream()
            .filter(recipient -> requested(action, dsn.map(DsnParameters::getRcptParameters)
                .map(parameters -> parameters.get(recipient))
                .flatMap(RecipientDsnParameters::getNotifyParameter)))
            .collect(ImmutableList.toImmutableList());
    }

    static boolean requested(ReportAction action, Optional<EnumSet<Notify>> notify) {
        switch (action) {
            case FAILED:
                return notify.map(values -> values.contains(Notify.FAILURE)).orElse(true);
            case DELAYED:
                return notify.map(values -> values.contains(Notify.DELAY)).orElse(false);
            default:
                return notify.map(values -> values.contains(Notify.SUCCESS)).orElse(false);
        }
    }

    /**
     * The report on these recipients of the mail. A recipient's status, next hop and reply are those the last
     * delivery attempt recorded; a status that does not fit the action (or none) gives way to {@code defaultStatus}.
     */
    static DeliveryReport report(Mail mail, Collection<MailAddress> recipients, ReportAction action, String reportingMta,
                                 String defaultStatus, Instant now) {
        Optional<DsnParameters> dsn = mail.dsnParameters();
        Map<String, String> statuses = DsnAttributes.perRecipient(mail, DsnAttributes.STATUS);
        Map<String, String> remoteMtas = DsnAttributes.perRecipient(mail, DsnAttributes.REMOTE_MTA);
        Map<String, String> replies = DsnAttributes.perRecipient(mail, DsnAttributes.DIAGNOSTIC_CODE);
        Instant lastAttempt = DsnAttributes.instant(mail, DsnAttributes.LAST_ATTEMPT_DATE).orElse(now);
        Optional<Instant> willRetryUntil = action == ReportAction.DELAYED
            ? DsnAttributes.instant(mail, DsnAttributes.WILL_RETRY_UNTIL) : Optional.empty();
        ImmutableList.Builder<RecipientStatus> statusOfRecipients = ImmutableList.builder();
        for (MailAddress recipient : recipients) {
            String key = recipient.asString();
            String status = Optional.ofNullable(statuses.get(key)).filter(action::allowsStatus).orElse(defaultStatus);
            statusOfRecipients.add(RecipientStatus.builder(key, status, lastAttempt)
                .originalRecipient(dsn.map(parameters -> parameters.getRcptParameters().get(recipient))
                    .flatMap(RecipientDsnParameters::getOrcptParameter)
                    .map(MailAddress::asString))
                .remoteMta(Optional.ofNullable(remoteMtas.get(key)))
                .diagnosticCode(Optional.ofNullable(replies.get(key)))
                .willRetryUntil(willRetryUntil)
                .build());
        }
        Optional<String> envelopeId = dsn.flatMap(DsnParameters::getEnvIdParameter)
            .map(envId -> DsnParameters.XText.decode(envId.asString()));
        Optional<Instant> arrival = DsnAttributes.instant(mail, DsnAttributes.ARRIVAL_DATE)
            .or(() -> DsnAttributes.instant(mail, SubmissionAttributes.RECEIVED_AT));
        return new DeliveryReport(action, reportingMta, envelopeId, arrival, statusOfRecipients.build());
    }

    /**
     * RFC 3461 section 4.3: a failure report returns the message, or its header alone with RET=HDRS; a report that
     * indicates no failure returns the header alone whatever RET says.
     */
    static ReportText.Returned returned(Mail mail, ReportAction action) {
        boolean headersOnly = action != ReportAction.FAILED || mail.dsnParameters()
            .flatMap(DsnParameters::getRetParameter)
            .map(ret -> ret == DsnParameters.Ret.HDRS)
            .orElse(false);
        return headersOnly ? ReportText.Returned.HEADER : ReportText.Returned.MESSAGE;
    }

    /** The bytes of the message as it is stored, or of its header section alone, ending with the empty line. */
    static byte[] content(MimeMessage message, ReportText.Returned returned) throws MessagingException, IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        if (returned == ReportText.Returned.MESSAGE) {
            message.writeTo(bytes);
            return bytes.toByteArray();
        }
        Enumeration<String> lines = message.getAllHeaderLines();
        while (lines.hasMoreElements()) {
            bytes.write((lines.nextElement() + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        }
        bytes.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        return bytes.toByteArray();
    }

    /** The Subject of the message, decoded from RFC 2047; empty when it has none or it cannot be read. */
    static Optional<String> subject(MimeMessage message) {
        try {
            return Optional.ofNullable(message.getHeader("Subject", null))
                .map(value -> {
                    try {
                        return MimeUtility.decodeText(MimeUtility.unfold(value));
                    } catch (IOException e) {
                        return value;
                    }
                });
        } catch (MessagingException e) {
            return Optional.empty();
        }
    }
}
