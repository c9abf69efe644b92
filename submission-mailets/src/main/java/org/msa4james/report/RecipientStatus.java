package org.msa4james.report;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

import com.google.common.base.Preconditions;

/**
 * What a delivery status notification says about one recipient (RFC 3464 section 2.3): the per-recipient fields but
 * the Action, which the whole report shares.
 */
public final class RecipientStatus {
    private final String finalRecipient;
    private final Optional<String> originalRecipient;
    private final String status;
    private final Optional<String> remoteMta;
    private final Optional<String> diagnosticCode;
    private final Instant lastAttemptDate;
    private final Optional<Instant> willRetryUntil;

    private RecipientStatus(Builder builder) {
        this.finalRecipient = builder.finalRecipient;
        this.originalRecipient = builder.originalRecipient;
        this.status = builder.status;
        this.remoteMta = builder.remoteMta;
        this.diagnosticCode = builder.diagnosticCode;
        this.lastAttemptDate = builder.lastAttemptDate;
        this.willRetryUntil = builder.willRetryUntil;
    }

    /**
     * @param finalRecipient the address the message was for here (Final-Recipient)
     * @param status its RFC 3463 status code, e.g. "5.1.1"
     * @param lastAttemptDate when delivery was last attempted (Last-Attempt-Date)
     */
    public static Builder builder(String finalRecipient, String status, Instant lastAttemptDate) {
        return new Builder(finalRecipient, status, lastAttemptDate);
    }

    public String finalRecipient() {
        return finalRecipient;
    }

    /** The address the sender gave in ORCPT, decoded from xtext (Original-Recipient); absent without ORCPT. */
    public Optional<String> originalRecipient() {
        return originalRecipient;
    }

    public String status() {
        return status;
    }

    /** The mail server that answered the last attempt (Remote-MTA); absent for a local mailbox or no connection. */
    public Optional<String> remoteMta() {
        return remoteMta;
    }

    /** That server's SMTP reply, e.g. "550 5.1.1 No such user" (Diagnostic-Code, type smtp). */
    public Optional<String> diagnosticCode() {
        return diagnosticCode;
    }

    public Instant lastAttemptDate() {
        return lastAttemptDate;
    }

    /** Until when delivery is retried (Will-Retry-Until), for a delayed recipient. */
    public Optional<Instant> willRetryUntil() {
        return willRetryUntil;
    }

    @Override
    public boolean equals(Object other) {
        if (!(other instanceof RecipientStatus)) {
            return false;
        }
        RecipientStatus that = (RecipientStatus) other;
        return finalRecipient.equals(that.finalRecipient) && originalRecipient.equals(that.originalRecipient)
            && status.equals(that.status) && remoteMta.equals(that.remoteMta) && diagnosticCode.equals(that.diagnosticCode)
            && lastAttemptDate.equals(that.lastAttemptDate) && willRetryUntil.equals(that.willRetryUntil);
    }

    @Override
    public int hashCode() {
        return Objects.hash(finalRecipient, originalRecipient, status, remoteMta, diagnosticCode, lastAttemptDate, willRetryUntil);
    }

    @Override
    public String toString() {
        return "RecipientStatus{" + finalRecipient + " " + status + " remoteMta=" + remoteMta + " diagnostic=" + diagnosticCode
            + " original=" + originalRecipient + " lastAttempt=" + lastAttemptDate + " willRetryUntil=" + willRetryUntil + "}";
    }

    public static final class Builder {
        private final String finalRecipient;
        private final String status;
        private final Instant lastAttemptDate;
        private Optional<String> originalRecipient = Optional.empty();
        private Optional<String> remoteMta = Optional.empty();
        private Optional<String> diagnosticCode = Optional.empty();
        private Optional<Instant> willRetryUntil = Optional.empty();

        private Builder(String finalRecipient, String status, Instant lastAttemptDate) {
            Preconditions.checkArgument(StatusCodes.isValid(status), "'%s' is not an RFC 3463 status code", status);
            this.finalRecipient = Objects.requireNonNull(finalRecipient);
            this.status = status;
            this.lastAttemptDate = Objects.requireNonNull(lastAttemptDate);
        }

        public Builder originalRecipient(Optional<String> value) {
            this.originalRecipient = value;
            return this;
        }

        public Builder remoteMta(Optional<String> value) {
            this.remoteMta = value;
            return this;
        }

        public Builder diagnosticCode(Optional<String> value) {
            this.diagnosticCode = value;
            return this;
        }

        public Builder willRetryUntil(Optional<Instant> value) {
            this.willRetryUntil = value;
            return this;
        }

        public RecipientStatus build() {
            return new RecipientStatus(this);
        }
    }
}
