package org.msa4james.autoconfig;

/**
 * The answer of Microsoft's POX Autodiscover (Outlook, and Thunderbird's fallback) for an e-mail account: response
 * schema {@value #RESPONSE_NAMESPACE} inside {@value #ENVELOPE_NAMESPACE}, an {@code Account} of type {@code email}
 * with action {@code settings}, and one {@code Protocol} per published service, the preferred first: {@code IMAP}
 * and {@code SMTP}, the full address as {@code LoginName}, {@code SPA off} (no NTLM: a cleartext password over TLS),
 * {@code SSL on}, {@code AuthRequired on}, and {@code Encryption} {@code SSL} (implicit TLS) or {@code TLS}
 * (STARTTLS), which Outlook reads before {@code SSL}.
 *
 * <p>The answer repeats the address it was asked for, and nothing else about the user: it is the same whether the
 * user exists or not.</p>
 */
public final class AutodiscoverDocument {
    public static final String CONTENT_TYPE = "text/xml; charset=utf-8";
    public static final String ENVELOPE_NAMESPACE = "http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006";
    public static final String RESPONSE_NAMESPACE = "http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a";

    private AutodiscoverDocument() {
    }

    public static byte[] write(MailSettings settings, EmailAddress address) {
        XmlWriter xml = new XmlWriter()
            .startDefaultNamespace("Autodiscover", ENVELOPE_NAMESPACE)
            .startDefaultNamespace("Response", RESPONSE_NAMESPACE)
            .start("Account")
            .element("AccountType", "email")
            .element("Action", "settings");
        for (MailService service : settings.imap()) {
            protocol(xml, "IMAP", settings.hostName(), service, address).end();
        }
        for (MailService service : settings.smtp()) {
            protocol(xml, "SMTP", settings.hostName(), service, address)
                .element("UsePOPAuth", "off")
                .element("SMTPLast", "off")
                .end();
        }
        return xml.end().end().end().toBytes();
    }

    private static XmlWriter protocol(XmlWriter xml, String type, String hostName, MailService service, EmailAddress address) {
        return xml.start("Protocol")
            .element("Type", type)
            .element("Server", hostName)
            .element("Port", String.valueOf(service.port()))
            .element("LoginName", address.asString())
            .element("DomainRequired", "off")
            .element("SPA", "off")
            .element("SSL", "on")
            .element("AuthRequired", "on")
            .element("Encryption", service.implicitTls() ? "SSL" : "TLS");
    }
}
