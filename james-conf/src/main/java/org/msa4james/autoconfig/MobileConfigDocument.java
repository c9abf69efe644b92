package org.msa4james.autoconfig;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * An Apple configuration profile ({@code .mobileconfig}) that adds one IMAP account to Apple Mail (iOS, iPadOS,
 * macOS): a {@code Configuration} profile holding one {@code com.apple.mail.managed} payload with the preferred IMAP
 * and SMTP services, the address as user name for both, password authentication, and
 * {@code OutgoingPasswordSameAsIncomingPassword}. The profile holds no password (the device asks for it) and is not
 * signed: the device says so when it is installed.
 *
 * <p>Its identifiers are derived from the server's name and the address, so that installing the profile of an
 * address again replaces it instead of adding a second account.</p>
 */
public final class MobileConfigDocument {
    public static final String CONTENT_TYPE = "application/x-apple-aspen-config";
    static final String DOCTYPE = "<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" "
        + "\"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">";

    private MobileConfigDocument() {
    }

    /** Needs at least one IMAP and one SMTP service ({@link MailSettings#complete()}). */
    public static byte[] write(MailSettings settings, EmailAddress address) {
        MailService imap = settings.imap().get(0);
        MailService smtp = settings.smtp().get(0);
        String identifier = reversed(settings.hostName()) + ".email." + uuid("profile", settings, address);
        String description = "Adds the mail account " + address.asString() + " (IMAP and SMTP at " + settings.hostName()
            + ", over TLS). It holds no password: the device asks for it.";

        XmlWriter xml = new XmlWriter()
            .doctype(DOCTYPE)
            .start("plist").attribute("version", "1.0")
            .start("dict")
            .element("key", "PayloadContent")
            .start("array")
            .start("dict");
        string(xml, "EmailAccountDescription", address.asString());
        string(xml, "EmailAccountType", "EmailTypeIMAP");
        string(xml, "EmailAddress", address.asString());
        string(xml, "IncomingMailServerAuthentication", "EmailAuthPassword");
        string(xml, "IncomingMailServerHostName", settings.hostName());
        integer(xml, "IncomingMailServerPortNumber", imap.port());
        bool(xml, "IncomingMailServerUseSSL", true);
        string(xml, "IncomingMailServerUsername", address.asString());
        string(xml, "OutgoingMailServerAuthentication", "EmailAuthPassword");
        string(xml, "OutgoingMailServerHostName", settings.hostName());
        integer(xml, "OutgoingMailServerPortNumber", smtp.port());
        bool(xml, "OutgoingMailServerUseSSL", true);
        string(xml, "OutgoingMailServerUsername", address.asString());
        bool(xml, "OutgoingPasswordSameAsIncomingPassword", true);
        string(xml, "PayloadDescription", "The mail account " + address.asString());
        string(xml, "PayloadDisplayName", address.asString());
        string(xml, "PayloadIdentifier", identifier + ".account");
        string(xml, "PayloadType", "com.apple.mail.managed");
        string(xml, "PayloadUUID", uuid("account", settings, address));
        integer(xml, "PayloadVersion", 1);
        xml.end().end();
        string(xml, "PayloadDescription", description);
        string(xml, "PayloadDisplayName", "Mail " + address.asString());
        string(xml, "PayloadIdentifier", identifier);
        bool(xml, "PayloadRemovalDisallowed", false);
        string(xml, "PayloadType", "Configuration");
        string(xml, "PayloadUUID", uuid("profile", settings, address));
        integer(xml, "PayloadVersion", 1);
        return xml.end().end().toBytes();
    }

    /** The file name to save it as: {@code <domain>.mobileconfig}. */
    public static String fileName(EmailAddress address) {
        return address.domain() + ".mobileconfig";
    }

    private static void string(XmlWriter xml, String key, String value) {
        xml.element("key", key).element("string", value);
    }

    private static void integer(XmlWriter xml, String key, int value) {
        xml.element("key", key).element("integer", String.valueOf(value));
    }

    private static void bool(XmlWriter xml, String key, boolean value) {
        xml.element("key", key).empty(value ? "true" : "false");
    }

    private static String uuid(String what, MailSettings settings, EmailAddress address) {
        byte[] name = ("msa4james " + what + " " + settings.hostName() + " " + address.asString()).getBytes(StandardCharsets.UTF_8);
        return UUID.nameUUIDFromBytes(name).toString().toUpperCase(Locale.ROOT);
    }

    /** {@code mail.example.test} as {@code test.example.mail}: the reverse-DNS style of payload identifiers. */
    private static String reversed(String hostName) {
        List<String> labels = Arrays.asList(hostName.toLowerCase(Locale.ROOT).split("\\."));
        Collections.reverse(labels);
        return labels.stream().collect(Collectors.joining("."));
    }
}
