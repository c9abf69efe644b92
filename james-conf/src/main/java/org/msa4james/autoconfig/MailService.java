package org.msa4james.autoconfig;

import java.util.Comparator;
import java.util.Objects;

/**
 * One listener a mail client may use to read (IMAP) or submit (SMTP) mail: its port and how TLS starts on it.
 * Only listeners that protect the password with TLS become a MailService (see {@link ListenerFacts#publishable}).
 */
public final class MailService {
    /** What a client does there. */
    public enum Protocol {
        IMAP,
        SMTP
    }

    /** How TLS starts: from the first byte (RFC 8314, preferred) or with STARTTLS. */
    public enum Security {
        IMPLICIT_TLS,
        STARTTLS
    }

    /** Implicit TLS first (RFC 8314 section 3: preferred), then STARTTLS; within one kind, by port. */
    public static final Comparator<MailService> PREFERRED_FIRST = Comparator.comparing(MailService::security)
        .thenComparingInt(MailService::port);

    private final Protocol protocol;
    private final int port;
    private final Security security;

    public MailService(Protocol protocol, int port, Security security) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be from 1 to 65535, not " + port);
        }
        this.protocol = Objects.requireNonNull(protocol, "protocol");
        this.port = port;
        this.security = Objects.requireNonNull(security, "security");
    }

    public Protocol protocol() {
        return protocol;
    }

    public int port() {
        return port;
    }

    public Security security() {
        return security;
    }

    public boolean implicitTls() {
        return security == Security.IMPLICIT_TLS;
    }

    @Override
    public boolean equals(Object other) {
        if (!(other instanceof MailService)) {
            return false;
        }
        MailService that = (MailService) other;
        return protocol == that.protocol && port == that.port && security == that.security;
    }

    @Override
    public int hashCode() {
        return Objects.hash(protocol, port, security);
    }

    @Override
    public String toString() {
        return protocol + " " + port + " " + security;
    }
}
