package org.msa4james.autoconfig;

/**
 * The Thunderbird autoconfig document, clientConfig version 1.1 (the format of Mozilla's ISPDB, also read by
 * Thunderbird for Android, Evolution and KMail), for one local domain: every published IMAP service as an
 * {@code incomingServer} and every SMTP submission service as an {@code outgoingServer}, the preferred first, with
 * {@code password-cleartext} (PLAIN or LOGIN, over TLS) and {@code %EMAILADDRESS%} as user name.
 *
 * <p>The document names no user: the client puts the address it was given in place of {@code %EMAILADDRESS%}. So
 * the answer is the same for every address of the domain, whether its user exists or not.</p>
 */
public final class ClientConfigDocument {
    public static final String CONTENT_TYPE = "application/xml; charset=utf-8";
    static final String USER_NAME = "%EMAILADDRESS%";
    static final String AUTHENTICATION = "password-cleartext";

    private ClientConfigDocument() {
    }

    public static byte[] write(MailSettings settings, String domain) {
        XmlWriter xml = new XmlWriter()
            .start("clientConfig").attribute("version", "1.1")
            .start("emailProvider").attribute("id", domain)
            .element("domain", domain)
            .element("displayName", "Mail of " + domain)
            .element("displayShortName", domain);
        for (MailService service : settings.imap()) {
            server(xml.start("incomingServer").attribute("type", "imap"), settings.hostName(), service).end();
        }
        for (MailService service : settings.smtp()) {
            server(xml.start("outgoingServer").attribute("type", "smtp"), settings.hostName(), service).end();
        }
        return xml.end().end().toBytes();
    }

    private static XmlWriter server(XmlWriter xml, String hostName, MailService service) {
        return xml.element("hostname", hostName)
            .element("port", String.valueOf(service.port()))
            .element("socketType", service.implicitTls() ? "SSL" : "STARTTLS")
            .element("username", USER_NAME)
            .element("authentication", AUTHENTICATION);
    }
}
