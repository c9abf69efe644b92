package org.msa4james.address;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.msa4james.address.DomainQualification.Verdict;

/**
 * Expands the single-label domains of an address header value by the site's configured local convention (RFC 6409
 * section 4.2: "bob@sales" becomes "bob@sales.example.test"), changing nothing but those domains: display names,
 * RFC 2047 encoded words, comments, groups, quoting and folding stay exactly as written.
 *
 * <p>The same rules as {@link DomainQualifier} decide what is expanded: a single label (case-insensitive) that has an
 * expansion. Anything else — qualified names, address literals, incomplete names such as
 * "squeaky.sales", single labels without an expansion — is left as written; refusing those is the header check's
 * business.</p>
 */
public final class SingleLabelExpander {
    private final DomainQualifier qualifier;
    private final boolean empty;

    /** @param expansions single label (lower case) to fully qualified domain, as {@link DomainQualifier#parseExpansions} returns */
    public SingleLabelExpander(Map<String, String> expansions) {
        this.qualifier = new DomainQualifier(expansions, Set.of(), domain -> false);
        this.empty = expansions.isEmpty();
    }

    /** Whether there is no expansion at all (then nothing is ever changed). */
    public boolean isEmpty() {
        return empty;
    }

    /**
     * The header value with every expandable domain replaced by its expansion, or empty when there is none (the
     * value stays as it is).
     *
     * @throws AddressSyntaxException when the value is not an address list
     */
    public Optional<String> expand(String headerValue) throws AddressSyntaxException {
        if (empty) {
            return Optional.empty();
        }
        AddressList addresses = AddressList.parse(headerValue);
        boolean[] changed = {false};
        String rewritten = addresses.rewrite(mailbox -> {
            DomainQualification qualification = qualifier.qualify(mailbox.domain());
            if (qualification.verdict() != Verdict.EXPANDED) {
                return Optional.empty();
            }
            changed[0] = true;
            return Optional.of(mailbox.withDomain(qualification.domain(), addresses));
        });
        return changed[0] ? Optional.of(rewritten) : Optional.empty();
    }
}
