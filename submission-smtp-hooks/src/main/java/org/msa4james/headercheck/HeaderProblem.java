package org.msa4james.headercheck;

import java.util.Objects;

/**
 * The first thing {@link HeaderCheck} found wrong in a message header: what is wrong, in which field, and a detail
 * that depends on the kind (see each kind).
 */
public final class HeaderProblem {

    /** What is wrong, in the order the checks run. */
    public enum Kind {
        /** A required field is absent (From). Detail: empty. */
        MISSING,
        /** A field that RFC 5322 section 3.6 allows once appears several times (From, Sender). Detail: how many times. */
        REPEATED,
        /** An address field does not parse. Detail: the parser's description of the problem. */
        INVALID_SYNTAX,
        /** From holds no mailbox at all (only empty groups). Detail: empty. */
        NO_ADDRESS,
        /** Sender holds more than one mailbox, or a group (RFC 5322 section 3.6.2). Detail: empty. */
        NOT_ONE_MAILBOX,
        /** From names several authors and there is no Sender field (RFC 5322 section 3.6.2). Detail: empty. */
        SEVERAL_AUTHORS_WITHOUT_SENDER,
        /** A field holds raw 8-bit bytes (no SMTPUTF8). Detail: empty. */
        EIGHT_BIT,
        /** An address field has a domain that is neither fully qualified nor expandable. Detail: the domain as written. */
        UNQUALIFIED_DOMAIN
    }

    private final Kind kind;
    private final String field;
    private final String detail;

    HeaderProblem(Kind kind, String field, String detail) {
        this.kind = Objects.requireNonNull(kind);
        this.field = Objects.requireNonNull(field);
        this.detail = Objects.requireNonNull(detail);
    }

    public Kind kind() {
        return kind;
    }

    /** The field name: canonical for the address fields ("Reply-To"), as written for any other field. */
    public String field() {
        return field;
    }

    public String detail() {
        return detail;
    }

    @Override
    public boolean equals(Object o) {
        if (o instanceof HeaderProblem) {
            HeaderProblem that = (HeaderProblem) o;
            return kind == that.kind && field.equals(that.field) && detail.equals(that.detail);
        }
        return false;
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, field, detail);
    }

    @Override
    public String toString() {
        return kind + "(" + field + (detail.isEmpty() ? "" : ": " + detail) + ")";
    }
}
