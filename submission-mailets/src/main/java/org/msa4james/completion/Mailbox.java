package org.msa4james.completion;

import java.util.Objects;
import java.util.Optional;

/** A mailbox of an address header field: its display name, RFC 2047 encoded words decoded, and its address. */
final class Mailbox {
    private final Optional<String> displayName;
    private final String localPart;
    private final Optional<String> domain;

    Mailbox(Optional<String> displayName, String localPart, Optional<String> domain) {
        this.displayName = displayName;
        this.localPart = localPart;
        this.domain = domain;
    }

    Optional<String> displayName() {
        return displayName;
    }

    Optional<String> domain() {
        return domain;
    }

    /** local-part@domain, the local part without quotes. */
    String address() {
        return domain.map(value -> localPart + "@" + value).orElse(localPart);
    }

    @Override
    public boolean equals(Object o) {
        if (o instanceof Mailbox) {
            Mailbox other = (Mailbox) o;
            return displayName.equals(other.displayName) && localPart.equals(other.localPart) && domain.equals(other.domain);
        }
        return false;
    }

    @Override
    public int hashCode() {
        return Objects.hash(displayName, localPart, domain);
    }

    @Override
    public String toString() {
        return displayName.map(name -> name + " ").orElse("") + "<" + address() + ">";
    }
}
