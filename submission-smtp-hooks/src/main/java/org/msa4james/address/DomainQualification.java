package org.msa4james.address;

import java.util.Objects;

/**
 * The verdict of {@link DomainQualifier} on one domain: usable as it is, usable once expanded, or refused.
 */
public final class DomainQualification {

    /** What the qualifier decided. */
    public enum Verdict {
        /** A local domain, an address literal, or a name ending in a known top-level domain. */
        QUALIFIED,
        /** A single label with a configured expansion: use {@link #domain()} instead. */
        EXPANDED,
        /** A single label with no configured expansion. */
        UNQUALIFIED,
        /** Several labels whose last one is no known top-level domain ("squeaky.sales"): never expanded. */
        INCOMPLETE
    }

    private final Verdict verdict;
    private final String domain;

    private DomainQualification(Verdict verdict, String domain) {
        this.verdict = Objects.requireNonNull(verdict);
        this.domain = Objects.requireNonNull(domain);
    }

    static DomainQualification qualified(String domain) {
        return new DomainQualification(Verdict.QUALIFIED, domain);
    }

    static DomainQualification expanded(String expansion) {
        return new DomainQualification(Verdict.EXPANDED, expansion);
    }

    static DomainQualification unqualified(String domain) {
        return new DomainQualification(Verdict.UNQUALIFIED, domain);
    }

    static DomainQualification incomplete(String domain) {
        return new DomainQualification(Verdict.INCOMPLETE, domain);
    }

    public Verdict verdict() {
        return verdict;
    }

    /** The domain to use: the input when qualified, the expansion when expanded, the refused input otherwise. */
    public String domain() {
        return domain;
    }

    public boolean isAcceptable() {
        return verdict == Verdict.QUALIFIED || verdict == Verdict.EXPANDED;
    }

    @Override
    public boolean equals(Object o) {
        if (o instanceof DomainQualification) {
            DomainQualification that = (DomainQualification) o;
            return verdict == that.verdict && domain.equals(that.domain);
        }
        return false;
    }

    @Override
    public int hashCode() {
        return Objects.hash(verdict, domain);
    }

    @Override
    public String toString() {
        return verdict + "(" + domain + ")";
    }
}
