package org.msa4james.autoconfig;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The requests the self-configuration listener answers, and how; no other path exists.
 *
 * <table>
 *   <caption>Endpoints</caption>
 *   <tr><th>request</th><th>answer</th></tr>
 *   <tr><td>{@code GET /mail/config-v1.1.xml?emailaddress=<address>}, and the same at
 *       {@code /.well-known/autoconfig/mail/config-v1.1.xml}</td><td>Thunderbird's clientConfig 1.1
 *       ({@link ClientConfigDocument}); without {@code emailaddress}, the domain is the Host ({@code example.test} or
 *       {@code autoconfig.example.test})</td></tr>
 *   <tr><td>{@code POST /autodiscover/autodiscover.xml} (any case), body an Outlook Autodiscover request</td>
 *       <td>the POX Autodiscover answer ({@link AutodiscoverDocument})</td></tr>
 *   <tr><td>{@code GET /mail/apple.mobileconfig?emailaddress=<address>}</td><td>an Apple configuration profile
 *       ({@link MobileConfigDocument})</td></tr>
 * </table>
 *
 * <p>HEAD is answered as GET (the adapter leaves the body out). A domain that is not local gets 404, a malformed
 * request 400, another method 405 with {@code Allow}, another path 404; 503 when the server runs no IMAP or no SMTP
 * submission listener with TLS to publish. Nothing depends on whether a user exists (no user is looked up), and no
 * mail data is read or written: the only lookup is the domain list.</p>
 */
public final class AutoconfigResponder {
    private static final Logger LOGGER = LoggerFactory.getLogger(AutoconfigResponder.class);
    public static final String CLIENT_CONFIG_PATH = "/mail/config-v1.1.xml";
    public static final String WELL_KNOWN_CLIENT_CONFIG_PATH = "/.well-known/autoconfig/mail/config-v1.1.xml";
    public static final String AUTODISCOVER_PATH = "/autodiscover/autodiscover.xml";
    public static final String MOBILECONFIG_PATH = "/mail/apple.mobileconfig";
    static final String EMAIL_ADDRESS_PARAMETER = "emailaddress";
    private static final String AUTOCONFIG_HOST_PREFIX = "autoconfig.";
    private static final String GET_HEAD = "GET, HEAD";
    private static final String POST = "POST";

    private final Supplier<MailSettings> settings;
    private final LocalDomains localDomains;

    public AutoconfigResponder(Supplier<MailSettings> settings, LocalDomains localDomains) {
        this.settings = settings;
        this.localDomains = localDomains;
    }

    /**
     * @param method the request method
     * @param target the request target (origin form {@code /path?query}, or absolute form)
     * @param host the Host header field, if any
     * @param body the request body (bounded by the listener)
     */
    public HttpAnswer answer(String method, String target, Optional<String> host, byte[] body) {
        URI uri;
        List<String> addresses;
        try {
            uri = new URI(target);
            addresses = parameter(uri.getRawQuery(), EMAIL_ADDRESS_PARAMETER);
        } catch (URISyntaxException | IllegalArgumentException e) {
            return badRequest("the request target is not a valid URI with a percent-encoded UTF-8 query");
        }
        String path = Optional.ofNullable(uri.getRawPath()).orElse("");
        try {
            if (path.equals(CLIENT_CONFIG_PATH) || path.equals(WELL_KNOWN_CLIENT_CONFIG_PATH)) {
                return readOnly(method).orElseGet(() -> clientConfig(addresses, host));
            }
            if (path.equalsIgnoreCase(AUTODISCOVER_PATH)) {
                return method.equals(POST) ? autodiscover(body) : notAllowed(POST);
            }
            if (path.equals(MOBILECONFIG_PATH)) {
                return readOnly(method).orElseGet(() -> mobileConfig(addresses));
            }
            return HttpAnswer.error(404, "Not Found", "nothing is published at this path");
        } catch (DomainListFailure e) {
            LOGGER.warn("Cannot read the domain list to answer a self-configuration request", e.getCause());
            return HttpAnswer.error(500, "Internal Server Error", "the server cannot answer now");
        }
    }

    private HttpAnswer clientConfig(List<String> addresses, Optional<String> host) {
        if (addresses.size() > 1) {
            return badRequest("emailaddress is given more than once");
        }
        Optional<String> domain;
        if (addresses.size() == 1) {
            try {
                domain = Optional.of(EmailAddress.parse(addresses.get(0)).domain());
            } catch (IllegalArgumentException e) {
                return badRequest(e.getMessage());
            }
        } else if (host.isEmpty()) {
            return badRequest("neither emailaddress nor a Host header field names the domain");
        } else {
            domain = domainOfHost(host.get());
        }
        if (domain.isEmpty() || !local(domain.get())) {
            return unknownDomain();
        }
        return withSettings(settings -> HttpAnswer.ok(ClientConfigDocument.CONTENT_TYPE,
            ClientConfigDocument.write(settings, domain.get())));
    }

    private HttpAnswer autodiscover(byte[] body) {
        EmailAddress address;
        try {
            address = AutodiscoverRequest.emailAddress(body);
        } catch (IllegalArgumentException e) {
            return badRequest(e.getMessage());
        }
        if (!local(address.domain())) {
            return unknownDomain();
        }
        return withSettings(settings -> HttpAnswer.ok(AutodiscoverDocument.CONTENT_TYPE,
            AutodiscoverDocument.write(settings, address)));
    }

    private HttpAnswer mobileConfig(List<String> addresses) {
        if (addresses.size() != 1) {
            return badRequest(addresses.isEmpty() ? "emailaddress is missing" : "emailaddress is given more than once");
        }
        EmailAddress address;
        try {
            address = EmailAddress.parse(addresses.get(0));
        } catch (IllegalArgumentException e) {
            return badRequest(e.getMessage());
        }
        if (!local(address.domain())) {
            return unknownDomain();
        }
        return withSettings(settings -> HttpAnswer.ok(MobileConfigDocument.CONTENT_TYPE,
                MobileConfigDocument.write(settings, address))
            .withHeader("Content-Disposition", "attachment; filename=\"" + MobileConfigDocument.fileName(address) + "\""));
    }

    private HttpAnswer withSettings(Function<MailSettings, HttpAnswer> document) {
        MailSettings current = settings.get();
        if (!current.complete()) {
            return HttpAnswer.error(503, "Service Unavailable",
                "the server runs no IMAP listener or no SMTP submission listener with TLS to publish");
        }
        return document.apply(current);
    }

    private boolean local(String domain) {
        try {
            return localDomains.contains(domain);
        } catch (Exception e) {
            throw new DomainListFailure(e);
        }
    }

    /** The domain a Host header field names: {@code example.test} or {@code autoconfig.example.test}, port removed. */
    static Optional<String> domainOfHost(String host) {
        String name = host.trim();
        int colon = name.lastIndexOf(':');
        if (colon >= 0 && name.indexOf(':') == colon) {
            name = name.substring(0, colon);
        }
        name = name.toLowerCase(Locale.ROOT);
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        if (name.startsWith(AUTOCONFIG_HOST_PREFIX)) {
            name = name.substring(AUTOCONFIG_HOST_PREFIX.length());
        }
        try {
            return Optional.of(EmailAddress.checkDomain(name));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The percent-decoded values of {@code name} in a query (RFC 3986: {@code +} is a plus sign, not a space). */
    static List<String> parameter(String rawQuery, String name) {
        List<String> values = new ArrayList<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return values;
        }
        for (String pair : rawQuery.split("&", -1)) {
            int equals = pair.indexOf('=');
            String key = percentDecode(equals < 0 ? pair : pair.substring(0, equals));
            if (key.equals(name)) {
                values.add(equals < 0 ? "" : percentDecode(pair.substring(equals + 1)));
            }
        }
        return values;
    }

    private static String percentDecode(String value) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '%') {
                if (i + 2 >= value.length()) {
                    throw new IllegalArgumentException("truncated percent-encoding");
                }
                int high = Character.digit(value.charAt(i + 1), 16);
                int low = Character.digit(value.charAt(i + 2), 16);
                if (high < 0 || low < 0) {
                    throw new IllegalArgumentException("bad percent-encoding");
                }
                bytes.write(high * 16 + low);
                i += 2;
            } else if (c < 0x80) {
                bytes.write(c);
            } else {
                throw new IllegalArgumentException("a raw non-ASCII character in the query");
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes.toByteArray()))
                .toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("the query is not UTF-8");
        }
    }

    private static Optional<HttpAnswer> readOnly(String method) {
        if (method.equals("GET") || method.equals("HEAD")) {
            return Optional.empty();
        }
        return Optional.of(notAllowed(GET_HEAD));
    }

    private static HttpAnswer notAllowed(String allow) {
        return HttpAnswer.error(405, "Method Not Allowed", "this path answers " + allow + " only").withHeader("Allow", allow);
    }

    private static HttpAnswer badRequest(String reason) {
        return HttpAnswer.error(400, "Bad Request", reason);
    }

    private static HttpAnswer unknownDomain() {
        return HttpAnswer.error(404, "Not Found", "no settings are published for this domain");
    }

    /** The domain list could not be read: answered 500, logged once per request. */
    private static final class DomainListFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        DomainListFailure(Exception cause) {
            super(cause);
        }
    }
}
