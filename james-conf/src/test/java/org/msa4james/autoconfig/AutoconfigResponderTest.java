package org.msa4james.autoconfig;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

class AutoconfigResponderTest {
    private static final String HOST = "mail.example.test";
    private static final MailSettings SETTINGS = MailSettings.of(HOST, MailSettingsTest.shippedListeners(25, 587, 465, 143, 993));
    private static final Set<String> LOCAL = Set.of("example.test", "example.org");

    private final List<String> domainsAsked = new ArrayList<>();
    private final AutoconfigResponder responder = new AutoconfigResponder(() -> SETTINGS, domain -> {
        domainsAsked.add(domain);
        return LOCAL.contains(domain);
    });

    private HttpAnswer get(String target) {
        return responder.answer("GET", target, Optional.of("127.0.0.1"), new byte[0]);
    }

    private HttpAnswer autodiscover(String address) {
        return responder.answer("POST", AutoconfigResponder.AUTODISCOVER_PATH, Optional.empty(),
            AutodiscoverRequestTest.request("<EMailAddress>" + address + "</EMailAddress>"));
    }

    private static String text(HttpAnswer answer) {
        return new String(answer.body(), UTF_8);
    }

    private static Document parse(HttpAnswer answer) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newDefaultInstance();
        factory.setNamespaceAware(true);
        factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(answer.body()));
    }

    @Nested
    class ClientConfig {
        @Test
        void shouldWriteTheClientConfigOfTheDomain() throws Exception {
            HttpAnswer answer = get("/mail/config-v1.1.xml?emailaddress=alice%40example.org");

            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.contentType()).isEqualTo("application/xml; charset=utf-8");
            assertThat(text(answer)).isEqualTo("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<clientConfig version=\"1.1\">\n"
                + "  <emailProvider id=\"example.org\">\n"
                + "    <domain>example.org</domain>\n"
                + "    <displayName>Mail of example.org</displayName>\n"
                + "    <displayShortName>example.org</displayShortName>\n"
                + server("incomingServer", "imap", 993, "SSL")
                + server("incomingServer", "imap", 143, "STARTTLS")
                + server("outgoingServer", "smtp", 465, "SSL")
                + server("outgoingServer", "smtp", 587, "STARTTLS")
                + "  </emailProvider>\n"
                + "</clientConfig>\n");
            assertThat(parse(answer).getDocumentElement().getTagName()).isEqualTo("clientConfig");
            assertThat(domainsAsked).containsExactly("example.org");
        }

        private String server(String element, String type, int port, String socketType) {
            return "    <" + element + " type=\"" + type + "\">\n"
                + "      <hostname>" + HOST + "</hostname>\n"
                + "      <port>" + port + "</port>\n"
                + "      <socketType>" + socketType + "</socketType>\n"
                + "      <username>%EMAILADDRESS%</username>\n"
                + "      <authentication>password-cleartext</authentication>\n"
                + "    </" + element + ">\n";
        }

        @Test
        void theWellKnownPathShouldAnswerTheSame() {
            assertThat(get("/.well-known/autoconfig/mail/config-v1.1.xml?emailaddress=alice@example.org").body())
                .isEqualTo(get("/mail/config-v1.1.xml?emailaddress=alice@example.org").body());
        }

        @Test
        void shouldNotDependOnTheUser() {
            assertThat(get("/mail/config-v1.1.xml?emailaddress=nobody@example.org").body())
                .isEqualTo(get("/mail/config-v1.1.xml?emailaddress=alice@example.org").body());
        }

        @Test
        void withoutAnAddressTheHostShouldNameTheDomain() {
            byte[] expected = get("/mail/config-v1.1.xml?emailaddress=alice@example.org").body();

            for (String host : List.of("autoconfig.example.org", "AUTOCONFIG.example.org:80", "example.org", "autoconfig.example.org.")) {
                HttpAnswer answer = responder.answer("GET", "/mail/config-v1.1.xml", Optional.of(host), new byte[0]);

                assertThat(answer.status()).as(host).isEqualTo(200);
                assertThat(answer.body()).as(host).isEqualTo(expected);
            }
        }

        @Test
        void withoutAnAddressAnOtherHostShouldGet404AndNoHost400() {
            assertThat(responder.answer("GET", "/mail/config-v1.1.xml", Optional.of("autoconfig.example.com"), new byte[0]).status())
                .isEqualTo(404);
            assertThat(responder.answer("GET", "/mail/config-v1.1.xml", Optional.of("[::1]:80"), new byte[0]).status()).isEqualTo(404);
            assertThat(text(responder.answer("GET", "/mail/config-v1.1.xml", Optional.empty(), new byte[0])))
                .isEqualTo("400 Bad Request: neither emailaddress nor a Host header field names the domain\n");
        }

        @Test
        void aPlusSignShouldStayAPlusSign() {
            assertThat(get("/mail/config-v1.1.xml?emailaddress=alice+tag@example.org").status()).isEqualTo(200);
        }
    }

    @Nested
    class Autodiscover {
        @Test
        void shouldWriteThePoxAnswerWithTheAddressEscaped() throws Exception {
            HttpAnswer answer = autodiscover("o'neil&amp;co@Example.org");

            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.contentType()).isEqualTo("text/xml; charset=utf-8");
            assertThat(text(answer)).isEqualTo("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<Autodiscover xmlns=\"http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006\">\n"
                + "  <Response xmlns=\"http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a\">\n"
                + "    <Account>\n"
                + "      <AccountType>email</AccountType>\n"
                + "      <Action>settings</Action>\n"
                + protocol("IMAP", 993, "SSL", "")
                + protocol("IMAP", 143, "TLS", "")
                + protocol("SMTP", 465, "SSL", "        <UsePOPAuth>off</UsePOPAuth>\n        <SMTPLast>off</SMTPLast>\n")
                + protocol("SMTP", 587, "TLS", "        <UsePOPAuth>off</UsePOPAuth>\n        <SMTPLast>off</SMTPLast>\n")
                + "    </Account>\n"
                + "  </Response>\n"
                + "</Autodiscover>\n");
            assertThat(parse(answer).getElementsByTagNameNS(AutodiscoverDocument.RESPONSE_NAMESPACE, "LoginName").item(0)
                .getTextContent()).isEqualTo("o'neil&co@example.org");
        }

        private String protocol(String type, int port, String encryption, String smtp) {
            return "      <Protocol>\n"
                + "        <Type>" + type + "</Type>\n"
                + "        <Server>" + HOST + "</Server>\n"
                + "        <Port>" + port + "</Port>\n"
                + "        <LoginName>o'neil&amp;co@example.org</LoginName>\n"
                + "        <DomainRequired>off</DomainRequired>\n"
                + "        <SPA>off</SPA>\n"
                + "        <SSL>on</SSL>\n"
                + "        <AuthRequired>on</AuthRequired>\n"
                + "        <Encryption>" + encryption + "</Encryption>\n"
                + smtp
                + "      </Protocol>\n";
        }

        @Test
        void anyCaseOfThePathShouldBeAnswered() {
            HttpAnswer answer = responder.answer("POST", "/Autodiscover/Autodiscover.xml", Optional.empty(),
                AutodiscoverRequestTest.request("<EMailAddress>alice@example.org</EMailAddress>"));

            assertThat(answer.status()).isEqualTo(200);
        }

        @Test
        void anUnknownDomainShouldGet404() {
            assertThat(text(autodiscover("alice@example.com"))).isEqualTo("404 Not Found: no settings are published for this domain\n");
        }
    }

    @Nested
    class AppleProfile {
        @Test
        void shouldWriteAProfileWithStableIdentifiersPerAddress() throws Exception {
            HttpAnswer alice = get("/mail/apple.mobileconfig?emailaddress=alice@example.org");
            HttpAnswer again = get("/mail/apple.mobileconfig?emailaddress=alice@example.org");
            HttpAnswer bob = get("/mail/apple.mobileconfig?emailaddress=bob@example.org");

            assertThat(alice.status()).isEqualTo(200);
            assertThat(alice.contentType()).isEqualTo("application/x-apple-aspen-config");
            assertThat(alice.headers()).containsEntry("Content-Disposition", "attachment; filename=\"example.org.mobileconfig\"");
            assertThat(alice.body()).isEqualTo(again.body());
            assertThat(text(alice)).startsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n"
                + "<plist version=\"1.0\">\n");
            assertThat(text(alice)).contains("<key>PayloadIdentifier</key>\n    <string>test.example.mail.email.");
            assertThat(identifiers(alice)).doesNotContainAnyElementsOf(identifiers(bob));
            assertThat(text(alice)).doesNotContain("<key>IncomingPassword</key>", "<key>OutgoingPassword</key>");
            assertThat(parse(alice).getDocumentElement().getTagName()).isEqualTo("plist");
        }

        private List<String> identifiers(HttpAnswer answer) throws Exception {
            List<String> identifiers = new ArrayList<>();
            var keys = parse(answer).getElementsByTagName("key");
            for (int i = 0; i < keys.getLength(); i++) {
                if (keys.item(i).getTextContent().equals("PayloadUUID")) {
                    identifiers.add(keys.item(i).getNextSibling().getNextSibling().getTextContent());
                }
            }
            assertThat(identifiers).hasSize(2).doesNotHaveDuplicates();
            return identifiers;
        }

        @Test
        void theAddressShouldBeRequired() {
            assertThat(text(get("/mail/apple.mobileconfig"))).isEqualTo("400 Bad Request: emailaddress is missing\n");
            assertThat(text(get("/mail/apple.mobileconfig?emailaddress=a@example.org&emailaddress=b@example.org")))
                .isEqualTo("400 Bad Request: emailaddress is given more than once\n");
        }
    }

    @Nested
    class Refusals {
        @Test
        void otherMethodsShouldGet405WithTheAllowedOnes() {
            for (String method : List.of("POST", "PUT", "DELETE", "OPTIONS", "TRACE", "PATCH")) {
                HttpAnswer answer = responder.answer(method, "/mail/config-v1.1.xml?emailaddress=a@example.org", Optional.empty(), new byte[0]);

                assertThat(answer.status()).as(method).isEqualTo(405);
                assertThat(answer.headers()).as(method).containsEntry("Allow", "GET, HEAD");
            }
            HttpAnswer get = responder.answer("GET", "/autodiscover/autodiscover.xml", Optional.empty(), new byte[0]);
            assertThat(get.status()).isEqualTo(405);
            assertThat(get.headers()).containsEntry("Allow", "POST");
        }

        @Test
        void headShouldBeAnsweredAsGet() {
            HttpAnswer head = responder.answer("HEAD", "/mail/config-v1.1.xml?emailaddress=a@example.org", Optional.empty(), new byte[0]);

            assertThat(head.status()).isEqualTo(200);
            assertThat(head.body()).isEqualTo(get("/mail/config-v1.1.xml?emailaddress=a@example.org").body());
        }

        @Test
        void anyOtherPathShouldGet404WithoutAskingForADomain() {
            for (String path : List.of("/", "/mail/", "/mail/config-v1.1.xml/", "/MAIL/config-v1.1.xml", "/mail/../mail/config-v1.1.xml",
                "/mail/config-v1.1.xml;x", "http://evil.example/redirect")) {
                assertThat(get(path).status()).as(path).isEqualTo(404);
            }
            assertThat(domainsAsked).isEmpty();
        }

        @Test
        void badQueriesShouldGet400() {
            for (String target : List.of("/mail/config-v1.1.xml?emailaddress=%", "/mail/config-v1.1.xml?emailaddress=%4",
                "/mail/config-v1.1.xml?emailaddress=%g0", "/mail/config-v1.1.xml?emailaddress=%FF@example.org",
                "/mail/config-v1.1.xml?emailaddress=<a>", "/mail/config-v1.1.xml?emailaddress=a b")) {
                HttpAnswer answer = get(target);

                assertThat(answer.status()).as(target).isEqualTo(400);
                assertThat(text(answer)).isEqualTo("400 Bad Request: the request target is not a valid URI with a percent-encoded UTF-8 query\n");
            }
        }

        @Test
        void incompleteSettingsShouldGet503() {
            AutoconfigResponder withoutImap = new AutoconfigResponder(
                () -> MailSettings.of(HOST, List.of(new ListenerFacts(MailService.Protocol.SMTP, 465, true, false, true))),
                LOCAL::contains);

            assertThat(text(withoutImap.answer("GET", "/mail/config-v1.1.xml?emailaddress=a@example.org", Optional.empty(), new byte[0])))
                .isEqualTo("503 Service Unavailable: the server runs no IMAP listener or no SMTP submission listener with TLS to publish\n");
        }

        @Test
        void aDomainListFailureShouldGet500() {
            AutoconfigResponder failing = new AutoconfigResponder(() -> SETTINGS, domain -> {
                throw new IllegalStateException("database down");
            });

            HttpAnswer answer = failing.answer("GET", "/mail/config-v1.1.xml?emailaddress=a@example.org", Optional.empty(), new byte[0]);

            assertThat(text(answer)).isEqualTo("500 Internal Server Error: the server cannot answer now\n");
        }
    }
}
