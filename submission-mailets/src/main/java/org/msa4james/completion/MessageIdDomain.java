package org.msa4james.completion;

import java.util.List;
import java.util.Optional;

/**
 * Chooses the right-hand side of a new Message-ID, never from the machine's host name: the configured domain when
 * there is one, else the domain of the envelope sender, else the domain of the first From address, else James's
 * default domain. A candidate that is not a host name of two labels or more (an address literal, a bare name)
 * is passed over; the default domain, the last resort, may be a single label.
 */
public final class MessageIdDomain {
    private final Optional<String> configured;

    /** @param configured a value returned by {@link #configured(String)} */
    public MessageIdDomain(Optional<String> configured) {
        this.configured = configured;
    }

    /**
     * The configured domain of a configuration value, empty when the value is empty.
     *
     * @throws IllegalArgumentException when the value is not a fully qualified host name
     */
    public static Optional<String> configured(String value) {
        if (value.isEmpty()) {
            return Optional.empty();
        }
        Optional<String> domain = HostName.fullyQualified(value);
        if (domain.isEmpty()) {
            throw new IllegalArgumentException("'" + value + "' is not a fully qualified host name (letters, digits and hyphens in two or more dot-separated labels, e.g. example.com)");
        }
        return domain;
    }

    /**
     * The right-hand side for a new Message-ID, empty only when no candidate, not even the default domain, is a
     * host name.
     *
     * @param envelopeSenderDomain the domain of MAIL FROM, empty for the null sender
     * @param fromFieldValues the values of the From fields
     * @param defaultDomain James's default domain
     */
    public Optional<String> choose(Optional<String> envelopeSenderDomain, List<String> fromFieldValues, String defaultDomain) {
        if (configured.isPresent()) {
            return configured;
        }
        Optional<String> sender = envelopeSenderDomain.flatMap(HostName::fullyQualified);
        if (sender.isPresent()) {
            return sender;
        }
        Optional<String> from = Mailboxes.parse(fromFieldValues)
            .flatMap(mailboxes -> mailboxes.stream().findFirst())
            .flatMap(Mailbox::domain)
            .flatMap(HostName::fullyQualified);
        if (from.isPresent()) {
            return from;
        }
        return HostName.normalized(defaultDomain);
    }
}
