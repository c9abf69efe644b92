package org.msa4james.relay;

import java.util.Objects;
import java.util.Optional;

import org.msa4james.report.StatusCodes;

import com.google.common.base.Preconditions;

/**
 * What one delivery attempt to the next hop did for one recipient: delivered (with the next hop's 250 to the end of
 * DATA), refused for now or refused for good, with the RFC 3463 status, the next hop's reply and its name when there
 * were any, and whether the recipient's DSN parameters were passed on (the next hop offered DSN).
 */
public final class RecipientResult {
    /** The three outcomes an attempt can have for a recipient. */
    public enum Outcome {
        DELIVERED,
        TEMPORARY_FAILURE,
        PERMANENT_FAILURE
    }

    private final String recipient;
    private final Outcome outcome;
    private final String status;
    private final Optional<String> reply;
    private final Optional<String> remoteMta;
    private final boolean dsnPassedOn;

    private RecipientResult(String recipient, Outcome outcome, String status, Optional<String> reply, Optional<String> remoteMta,
                            boolean dsnPassedOn) {
        Preconditions.checkArgument(StatusCodes.isValid(status), "'%s' is not an RFC 3463 status code", status);
        this.recipient = Objects.requireNonNull(recipient);
        this.outcome = Objects.requireNonNull(outcome);
        this.status = status;
        this.reply = reply;
        this.remoteMta = remoteMta;
        this.dsnPassedOn = dsnPassedOn;
    }

    /** Delivered: the next hop answered the end of DATA with {@code reply}. */
    public static RecipientResult delivered(String recipient, String remoteMta, String reply, boolean dsnPassedOn) {
        return new RecipientResult(recipient, Outcome.DELIVERED, StatusCodes.ofReply(reply).filter(code -> code.startsWith("2"))
            .orElse("2.0.0"), Optional.of(reply), Optional.of(remoteMta), dsnPassedOn);
    }

    /** Refused by the next hop with an SMTP reply: for good with 5xx, for now otherwise. */
    public static RecipientResult refused(String recipient, String remoteMta, String reply) {
        Optional<String> status = StatusCodes.ofReply(reply);
        boolean permanent = status.map(code -> code.startsWith("5")).orElse(false);
        return new RecipientResult(recipient, permanent ? Outcome.PERMANENT_FAILURE : Outcome.TEMPORARY_FAILURE,
            status.filter(code -> code.startsWith(permanent ? "5" : "4")).orElse("4.0.0"),
            Optional.of(reply).filter(text -> !text.isBlank()), Optional.of(remoteMta), false);
    }

    /** Not delivered for a reason without a reply (no connection, no route), e.g. status 4.4.1. */
    public static RecipientResult failed(String recipient, boolean permanent, String status, Optional<String> remoteMta,
                                         Optional<String> reply) {
        return new RecipientResult(recipient, permanent ? Outcome.PERMANENT_FAILURE : Outcome.TEMPORARY_FAILURE, status, reply,
            remoteMta, false);
    }

    /**
     * The same failure, now final: delivery was retried as often as configured. The status stays that of the last
     * attempt: RFC 3463 (X.4.7) prefers the code of the actual problem to "delivery time expired".
     */
    public RecipientResult asFinal() {
        return new RecipientResult(recipient, Outcome.PERMANENT_FAILURE, status, reply, remoteMta, dsnPassedOn);
    }

    public String recipient() {
        return recipient;
    }

    public Outcome outcome() {
        return outcome;
    }

    public String status() {
        return status;
    }

    public Optional<String> reply() {
        return reply;
    }

    public Optional<String> remoteMta() {
        return remoteMta;
    }

    /** True when the next hop offered DSN and was given the recipient's NOTIFY and ORCPT (and the mail's RET and ENVID). */
    public boolean dsnPassedOn() {
        return dsnPassedOn;
    }

    @Override
    public boolean equals(Object other) {
        if (!(other instanceof RecipientResult)) {
            return false;
        }
        RecipientResult that = (RecipientResult) other;
        return recipient.equals(that.recipient) && outcome == that.outcome && status.equals(that.status)
            && reply.equals(that.reply) && remoteMta.equals(that.remoteMta) && dsnPassedOn == that.dsnPassedOn;
    }

    @Override
    public int hashCode() {
        return Objects.hash(recipient, outcome, status, reply, remoteMta, dsnPassedOn);
    }

    @Override
    public String toString() {
        return recipient + " " + outcome + " " + status + remoteMta.map(mta -> " at " + mta).orElse("")
            + reply.map(text -> " '" + text.trim() + "'").orElse("") + (dsnPassedOn ? " (DSN passed on)" : "");
    }
}
