package org.msa4james.autoconfig;

import java.util.Objects;
import java.util.Optional;

/**
 * What is known of one running SMTP or IMAP listener, read from James's server factories (see
 * {@link RunningListeners}), and the rule that decides whether mail clients are told to use it.
 *
 * <p>A listener is published only when a client logs in there and its password is protected by TLS: implicit TLS or
 * STARTTLS. An SMTP listener that offers no AUTH is the MX of the site (mail from other servers), never a submission
 * service; and port 25 is never published, whatever its configuration (RFC 6409 section 1, RFC 8314 section 3.3:
 * clients submit on 465 or 587).</p>
 */
public final class ListenerFacts {
    static final int MX_PORT = 25;

    private final MailService.Protocol protocol;
    private final int port;
    private final boolean implicitTls;
    private final boolean startTls;
    private final boolean loginOffered;

    public ListenerFacts(MailService.Protocol protocol, int port, boolean implicitTls, boolean startTls, boolean loginOffered) {
        this.protocol = Objects.requireNonNull(protocol, "protocol");
        this.port = port;
        this.implicitTls = implicitTls;
        this.startTls = startTls;
        this.loginOffered = loginOffered;
    }

    /** The service to publish, or nothing for an MX listener, port 25, or a listener without TLS. */
    public Optional<MailService> publishable() {
        if (!loginOffered || (protocol == MailService.Protocol.SMTP && port == MX_PORT)) {
            return Optional.empty();
        }
        if (implicitTls) {
            return Optional.of(new MailService(protocol, port, MailService.Security.IMPLICIT_TLS));
        }
        if (startTls) {
            return Optional.of(new MailService(protocol, port, MailService.Security.STARTTLS));
        }
        return Optional.empty();
    }

    /** An SMTP listener without AUTH: where other mail servers deliver (the target of the MX record). */
    public boolean mx() {
        return protocol == MailService.Protocol.SMTP && !loginOffered;
    }

    public MailService.Protocol protocol() {
        return protocol;
    }

    public int port() {
        return port;
    }

    @Override
    public String toString() {
        return protocol + " " + port + (implicitTls ? " implicit TLS" : "") + (startTls ? " STARTTLS" : "")
            + (loginOffered ? " login" : " no login");
    }
}
