package org.msa4james.report;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import com.google.common.base.Preconditions;
import com.google.common.collect.ImmutableList;

/**
 * One delivery status notification (RFC 3464): the per-message fields and the recipients it reports on, all with the
 * same outcome.
 */
public final class DeliveryReport {
    private final ReportAction action;
    private final String reportingMta;
    private final Optional<String> originalEnvelopeId;
    private final Optional<Instant> arrivalDate;
    private final ImmutableList<RecipientStatus> recipients;

    /**
     * @param reportingMta the public name of this server (Reporting-MTA)
     * @param originalEnvelopeId the sender's ENVID, decoded from xtext (Original-Envelope-Id)
     * @param arrivalDate when this server accepted the message (Arrival-Date)
     * @param recipients at least one
     * @throws IllegalArgumentException when there is no recipient, or a status code does not fit the action
     */
    public DeliveryReport(ReportAction action, String reportingMta, Optional<String> originalEnvelopeId,
                          Optional<Instant> arrivalDate, List<RecipientStatus> recipients) {
        Preconditions.checkArgument(!recipients.isEmpty(), "a report is about at least one recipient");
        for (RecipientStatus recipient : recipients) {
            Preconditions.checkArgument(action.allowsStatus(recipient.status()), "status %s of %s does not fit action %s",
                recipient.status(), recipient.finalRecipient(), action.field());
        }
        this.action = Objects.requireNonNull(action);
        this.reportingMta = Objects.requireNonNull(reportingMta);
        this.originalEnvelopeId = originalEnvelopeId;
        this.arrivalDate = arrivalDate;
        this.recipients = ImmutableList.copyOf(recipients);
    }

    public ReportAction action() {
        return action;
    }

    public String reportingMta() {
        return reportingMta;
    }

    public Optional<String> originalEnvelopeId() {
        return originalEnvelopeId;
    }

    public Optional<Instant> arrivalDate() {
        return arrivalDate;
    }

    public ImmutableList<RecipientStatus> recipients() {
        return recipients;
    }
}
