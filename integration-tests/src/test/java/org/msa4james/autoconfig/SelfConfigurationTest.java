package org.msa4james.autoconfig;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import javax.mail.MessagingException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import javax.xml.XMLConstants;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.SchemaFactory;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;
import org.msa4james.it.AssembledHomeProcess;
import org.msa4james.it.DkimVerification;
import org.subethamail.wiser.Wiser;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.xbill.DNS.Master;
import org.xbill.DNS.Record;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/**
 * Mail clients configure themselves from the documents the assembled home publishes: the home started as an
 * administrator starts it (bin/msa4james, a separate process, the persistent server), a new domain and user added over
 * webadmin, then every document fetched over real HTTP and HTTPS, checked field by field (the autoconfig document
 * against a schema of its format too), and its settings used by a real client (JavaMail) to submit over SMTP and to
 * log in over IMAP. The client reaches the published host name through {@link NameResolvingSocksProxy}, the test's
 * DNS, and checks the server's certificate against it.
 *
 * <p>The copied home's {@code conf/autoconfig.properties} gets {@code timeout=2}, so that the slow-client test waits
 * two seconds rather than ten; nothing else is changed.</p>
 */
class SelfConfigurationTest {
    private static final String LOOPBACK = "127.0.0.1";
    private static final String PUBLIC_NAME = "mail.selfconfig.test";
    private static final String DEFAULT_DOMAIN = "example.test";
    private static final String DOMAIN = "example.org";
    private static final String USER = "carol@" + DOMAIN;
    private static final String UNKNOWN_USER = "nobody@" + DOMAIN;
    private static final String PASSWORD = "selfconfig-" + UUID.randomUUID();
    private static final String CLIENT_CONFIG = "/mail/config-v1.1.xml";
    private static final String WELL_KNOWN_CLIENT_CONFIG = "/.well-known/autoconfig/mail/config-v1.1.xml";
    private static final String AUTODISCOVER = "/autodiscover/autodiscover.xml";
    private static final String MOBILECONFIG = "/mail/apple.mobileconfig";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(30);
    private static final int LOG_TAIL_LINES = 80;
    private static final int MAX_BODY = 64 * 1024;

    @RegisterExtension
    static final TestWatcher PRINT_JAMES_OUTPUT_ON_FAILURE = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            AssembledHomeProcess.printOutputTail(jamesOutput, LOG_TAIL_LINES);
        }
    };

    private static Path temporaryDirectory;
    private static Path home;
    private static Path jamesOutput;
    private static Process james;
    private static Wiser wiser;
    private static NameResolvingSocksProxy dns;
    private static SSLContext trustingTheServer;
    private static HttpClient http;
    private static int smtpPort;
    private static int submissionPort;
    private static int submissionsPort;
    private static int imapPort;
    private static int imapsPort;
    private static int webadminPort;
    private static int autoconfigPort;
    private static int autoconfigsPort;

    @BeforeAll
    static void startAssembledHome() throws Exception {
        temporaryDirectory = Files.createTempDirectory("msa4james-selfconfig-");
        home = AssembledHomeProcess.copyOfAssembledHome(temporaryDirectory);
        shortenTheRequestTimeout(home.resolve("conf/autoconfig.properties"));
        jamesOutput = temporaryDirectory.resolve("james-process.log");

        int wiserPort = freePort();
        wiser = new Wiser();
        wiser.getServer().setBindAddress(InetAddress.getByName(LOOPBACK));
        wiser.setPort(wiserPort);
        wiser.start();
        dns = new NameResolvingSocksProxy(PUBLIC_NAME);

        smtpPort = freePort();
        submissionPort = freePort();
        submissionsPort = freePort();
        imapPort = freePort();
        imapsPort = freePort();
        webadminPort = freePort();
        autoconfigPort = freePort();
        autoconfigsPort = freePort();
        Map<String, String> environment = new LinkedHashMap<>(Map.of("MSA_JAVA_OPTS", "-Xmx512m", "MSA_BIND", LOOPBACK,
            "MSA_HOSTNAME", PUBLIC_NAME, "MSA_RELAY_GATEWAY", LOOPBACK + ":" + wiserPort, "MSA_DEFAULT_DOMAIN", DEFAULT_DOMAIN));
        Map.of("MSA_SMTP_PORT", smtpPort, "MSA_SUBMISSION_PORT", submissionPort, "MSA_SUBMISSIONS_PORT", submissionsPort,
                "MSA_IMAP_PORT", imapPort, "MSA_IMAPS_PORT", imapsPort, "MSA_WEBADMIN_PORT", webadminPort,
                "MSA_AUTOCONFIG_PORT", autoconfigPort, "MSA_AUTOCONFIGS_PORT", autoconfigsPort)
            .forEach((variable, port) -> environment.put(variable, String.valueOf(port)));
        try {
            james = AssembledHomeProcess.builder(home, temporaryDirectory, jamesOutput, environment).start();
            await().atMost(START_TIMEOUT)
                .pollInterval(Duration.ofMillis(500))
                .until(() -> !james.isAlive() || jamesLog().contains("JAMES server started"));
            if (!james.isAlive()) {
                throw new AssertionError("bin/msa4james exited with code " + james.exitValue() + " before James started; it printed:\n"
                    + AssembledHomeProcess.outputTail(jamesOutput, 15));
            }

            trustingTheServer = trustOnly(home.resolve("conf/keystore.p12"), home.resolve("conf/keystore.secret"));
            http = HttpClient.newBuilder().sslContext(trustingTheServer).connectTimeout(Duration.ofSeconds(10)).build();
            // what a new administrator does: a domain, a user
            assertThat(webadmin("PUT", "/domains/" + DOMAIN).statusCode()).isEqualTo(204);
            HttpResponse<String> user = AssembledHomeProcess.putUser(http, LOOPBACK, webadminPort, USER, PASSWORD);
            assertThat(user.statusCode()).as(user.body()).isEqualTo(204);
        } catch (Exception | AssertionError e) {
            AssembledHomeProcess.printOutputTail(jamesOutput, LOG_TAIL_LINES);
            throw e;
        }
    }

    @AfterAll
    static void stopEverything() throws Exception {
        try {
            AssembledHomeProcess.stop(james);
        } finally {
            if (wiser != null) {
                wiser.stop();
            }
            if (dns != null) {
                dns.close();
            }
            AssembledHomeProcess.deleteTree(temporaryDirectory);
        }
    }

    @Nested
    class ThunderbirdAutoconfig {
        @Test
        void shouldPublishTheRunningListenersOverHttpAndHttpsAtBothPaths() throws Exception {
            List<byte[]> bodies = new ArrayList<>();
            for (String scheme : List.of("http", "https")) {
                for (String path : List.of(CLIENT_CONFIG, WELL_KNOWN_CLIENT_CONFIG)) {
                    HttpResponse<byte[]> response = get(scheme, path + "?emailaddress=" + USER);

                    assertThat(response.statusCode()).as("%s %s", scheme, path).isEqualTo(200);
                    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/xml; charset=utf-8");
                    assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
                    bodies.add(response.body());
                }
            }
            assertThat(bodies).allSatisfy(body -> assertThat(body).isEqualTo(bodies.get(0)));

            validateAgainstTheClientConfigSchema(bodies.get(0));
            Element root = PublishedServer.parse(bodies.get(0)).getDocumentElement();
            assertThat(root.getTagName()).isEqualTo("clientConfig");
            assertThat(root.getAttribute("version")).isEqualTo("1.1");
            Element provider = PublishedServer.child(root, null, "emailProvider");
            assertThat(provider.getAttribute("id")).isEqualTo(DOMAIN);
            assertThat(PublishedServer.children(provider, null))
                .extracting(element -> element.getTagName() + "=" + (element.getTagName().endsWith("Server") ? "" : element.getTextContent()))
                .containsExactly("domain=" + DOMAIN, "displayName=Mail of " + DOMAIN, "displayShortName=" + DOMAIN,
                    "incomingServer=", "incomingServer=", "outgoingServer=", "outgoingServer=");
            assertThat(PublishedServer.children(provider, null).stream()
                .filter(element -> element.getTagName().endsWith("Server"))
                .map(SelfConfigurationTest::describeServer))
                .containsExactly(
                    "incomingServer imap " + PUBLIC_NAME + " " + imapsPort + " SSL %EMAILADDRESS% password-cleartext",
                    "incomingServer imap " + PUBLIC_NAME + " " + imapPort + " STARTTLS %EMAILADDRESS% password-cleartext",
                    "outgoingServer smtp " + PUBLIC_NAME + " " + submissionsPort + " SSL %EMAILADDRESS% password-cleartext",
                    "outgoingServer smtp " + PUBLIC_NAME + " " + submissionPort + " STARTTLS %EMAILADDRESS% password-cleartext");
        }

        @Test
        void shouldNeverOfferTheMxPort() throws Exception {
            Document document = PublishedServer.parse(get("https", CLIENT_CONFIG + "?emailaddress=" + USER).body());

            assertThat(PublishedServer.fromClientConfig(document, USER))
                .extracting(server -> server.port)
                .doesNotContain(smtpPort, 25)
                .containsExactly(imapsPort, imapPort, submissionsPort, submissionPort);
        }

        @Test
        void shouldAnswerAKnownAndAnUnknownUserTheSame() throws Exception {
            HttpResponse<byte[]> known = get("https", CLIENT_CONFIG + "?emailaddress=" + USER);
            HttpResponse<byte[]> unknown = get("https", CLIENT_CONFIG + "?emailaddress=" + UNKNOWN_USER);

            assertThat(unknown.statusCode()).isEqualTo(known.statusCode()).isEqualTo(200);
            assertThat(unknown.body()).isEqualTo(known.body());
        }

        @Test
        void shouldTakeTheDomainFromTheAutoconfigHostNameWithoutAnAddress() throws Exception {
            byte[] byAddress = get("http", CLIENT_CONFIG + "?emailaddress=" + USER).body();

            RawResponse byHost = raw(false, "GET " + CLIENT_CONFIG + " HTTP/1.1\r\nHost: autoconfig." + DOMAIN
                + "\r\nConnection: close\r\n\r\n");

            assertThat(byHost.status).isEqualTo(200);
            assertThat(byHost.body).isEqualTo(byAddress);
        }

        @Test
        void shouldPublishTheDefaultDomainToo() throws Exception {
            HttpResponse<byte[]> response = get("https", CLIENT_CONFIG + "?emailaddress=alice@" + DEFAULT_DOMAIN);

            assertThat(response.statusCode()).isEqualTo(200);
            Element provider = PublishedServer.child(PublishedServer.parse(response.body()).getDocumentElement(), null, "emailProvider");
            assertThat(provider.getAttribute("id")).isEqualTo(DEFAULT_DOMAIN);
            assertThat(PublishedServer.text(provider, null, "domain")).isEqualTo(DEFAULT_DOMAIN);
        }

        @Test
        void headShouldAnswerTheHeaderOfGetWithoutTheBody() throws Exception {
            HttpResponse<byte[]> get = get("http", CLIENT_CONFIG + "?emailaddress=" + USER);

            RawResponse head = raw(false, "HEAD " + CLIENT_CONFIG + "?emailaddress=" + USER + " HTTP/1.1\r\nHost: x\r\n"
                + "Connection: close\r\n\r\n");

            assertThat(head.status).isEqualTo(200);
            assertThat(head.header("content-length")).isEqualTo(String.valueOf(get.body().length));
            assertThat(head.header("content-type")).isEqualTo("application/xml; charset=utf-8");
            assertThat(head.body).isEmpty();
        }
    }

    @Nested
    class MicrosoftAutodiscover {
        @Test
        void shouldAnswerThePoxRequestWithTheSameSettings() throws Exception {
            for (String scheme : List.of("https", "http")) {
                HttpResponse<byte[]> response = post(scheme, AUTODISCOVER, autodiscoverRequest(USER));

                assertThat(response.statusCode()).as(scheme).isEqualTo(200);
                assertThat(response.headers().firstValue("Content-Type")).hasValue("text/xml; charset=utf-8");
                Element root = PublishedServer.parse(response.body()).getDocumentElement();
                assertThat(root.getNamespaceURI()).isEqualTo(PublishedServer.AUTODISCOVER_ENVELOPE);
                assertThat(root.getLocalName()).isEqualTo("Autodiscover");
                Element account = PublishedServer.child(PublishedServer.child(root, PublishedServer.AUTODISCOVER_RESPONSE, "Response"),
                    PublishedServer.AUTODISCOVER_RESPONSE, "Account");
                assertThat(PublishedServer.text(account, PublishedServer.AUTODISCOVER_RESPONSE, "AccountType")).isEqualTo("email");
                assertThat(PublishedServer.text(account, PublishedServer.AUTODISCOVER_RESPONSE, "Action")).isEqualTo("settings");
                assertThat(PublishedServer.children(account, PublishedServer.AUTODISCOVER_RESPONSE).stream()
                    .filter(element -> element.getLocalName().equals("Protocol"))
                    .map(SelfConfigurationTest::describeProtocol))
                    .containsExactly(
                        protocol("IMAP", imapsPort, "SSL", ""),
                        protocol("IMAP", imapPort, "TLS", ""),
                        protocol("SMTP", submissionsPort, "SSL", " UsePOPAuth=off SMTPLast=off"),
                        protocol("SMTP", submissionPort, "TLS", " UsePOPAuth=off SMTPLast=off"));
            }
        }

        @Test
        void shouldAnswerThePathInAnyCase() throws Exception {
            HttpResponse<byte[]> response = post("https", "/Autodiscover/Autodiscover.xml", autodiscoverRequest(USER));

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(PublishedServer.fromAutodiscover(PublishedServer.parse(response.body()))).hasSize(4);
        }

        @Test
        void shouldAnswerAKnownAndAnUnknownUserTheSameButForTheAddress() throws Exception {
            HttpResponse<byte[]> known = post("https", AUTODISCOVER, autodiscoverRequest(USER));
            HttpResponse<byte[]> unknown = post("https", AUTODISCOVER, autodiscoverRequest(UNKNOWN_USER));

            assertThat(unknown.statusCode()).isEqualTo(known.statusCode()).isEqualTo(200);
            assertThat(new String(unknown.body(), UTF_8).replace(UNKNOWN_USER, USER)).isEqualTo(new String(known.body(), UTF_8));
        }

        @Test
        void shouldEscapeTheMarkupCharactersAnAddressMayHold() throws Exception {
            String address = "o'neil&co@" + DOMAIN;

            HttpResponse<byte[]> response = post("https", AUTODISCOVER, autodiscoverRequest("o'neil&amp;co@" + DOMAIN));

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(new String(response.body(), UTF_8)).contains("<LoginName>o'neil&amp;co@" + DOMAIN + "</LoginName>");
            assertThat(PublishedServer.fromAutodiscover(PublishedServer.parse(response.body())))
                .extracting(server -> server.userName)
                .containsOnly(address);
        }

        @Test
        void shouldRefuseAnAddressWithAngleBracketsWithoutRepeatingIt() throws Exception {
            HttpResponse<byte[]> response = post("https", AUTODISCOVER, autodiscoverRequest("&lt;script&gt;@" + DOMAIN));

            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(new String(response.body(), UTF_8))
                .isEqualTo("400 Bad Request: the local part of the e-mail address is not 1 to 64 letters, digits and "
                    + "!#$%&'*+/=?^_`{|}~- separated by single dots\n")
                .doesNotContain("script");
        }

        @Test
        void shouldRefuseADocumentTypeAndNeverReadAnExternalEntity() throws Exception {
            Path secret = home.resolve("conf/keystore.secret");
            String request = "<?xml version=\"1.0\"?>\n<!DOCTYPE Autodiscover [<!ENTITY secret SYSTEM \"" + secret.toUri() + "\">]>\n"
                + "<Autodiscover xmlns=\"http://schemas.microsoft.com/exchange/autodiscover/outlook/requestschema/2006\">"
                + "<Request><EMailAddress>&secret;@" + DOMAIN + "</EMailAddress></Request></Autodiscover>";

            HttpResponse<byte[]> response = post("https", AUTODISCOVER, request.getBytes(UTF_8));

            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(new String(response.body(), UTF_8))
                .isEqualTo("400 Bad Request: the body is not well-formed XML without a document type declaration\n")
                .doesNotContain(Files.readAllLines(secret, UTF_8).get(0).trim());
        }

        @Test
        void shouldRefuseGetWithTheAllowedMethod() throws Exception {
            HttpResponse<byte[]> response = get("https", AUTODISCOVER);

            assertThat(response.statusCode()).isEqualTo(405);
            assertThat(response.headers().firstValue("Allow")).hasValue("POST");
        }
    }

    @Nested
    class AppleConfigurationProfile {
        @Test
        void shouldHoldOneImapAccountWithThePreferredServicesAndNoPassword() throws Exception {
            HttpResponse<byte[]> response = get("https", MOBILECONFIG + "?emailaddress=" + USER);

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/x-apple-aspen-config");
            assertThat(response.headers().firstValue("Content-Disposition")).hasValue("attachment; filename=\"" + DOMAIN + ".mobileconfig\"");
            assertThat(new String(response.body(), UTF_8)).doesNotContain(PASSWORD);
            Map<String, Object> profile = profile(response.body());
            assertThat(profile).containsEntry("PayloadType", "Configuration").containsEntry("PayloadVersion", 1)
                .containsEntry("PayloadRemovalDisallowed", false)
                .containsKeys("PayloadIdentifier", "PayloadUUID", "PayloadDisplayName", "PayloadDescription");
            Map<String, Object> mail = mailPayload(profile);
            assertThat(mail).containsOnlyKeys("EmailAccountDescription", "EmailAccountType", "EmailAddress",
                "IncomingMailServerAuthentication", "IncomingMailServerHostName", "IncomingMailServerPortNumber",
                "IncomingMailServerUseSSL", "IncomingMailServerUsername", "OutgoingMailServerAuthentication",
                "OutgoingMailServerHostName", "OutgoingMailServerPortNumber", "OutgoingMailServerUseSSL",
                "OutgoingMailServerUsername", "OutgoingPasswordSameAsIncomingPassword", "PayloadDescription",
                "PayloadDisplayName", "PayloadIdentifier", "PayloadType", "PayloadUUID", "PayloadVersion");
            assertThat(mail)
                .containsEntry("PayloadType", "com.apple.mail.managed")
                .containsEntry("EmailAccountType", "EmailTypeIMAP")
                .containsEntry("EmailAddress", USER)
                .containsEntry("IncomingMailServerAuthentication", "EmailAuthPassword")
                .containsEntry("IncomingMailServerHostName", PUBLIC_NAME)
                .containsEntry("IncomingMailServerPortNumber", imapsPort)
                .containsEntry("IncomingMailServerUseSSL", true)
                .containsEntry("IncomingMailServerUsername", USER)
                .containsEntry("OutgoingMailServerAuthentication", "EmailAuthPassword")
                .containsEntry("OutgoingMailServerHostName", PUBLIC_NAME)
                .containsEntry("OutgoingMailServerPortNumber", submissionsPort)
                .containsEntry("OutgoingMailServerUseSSL", true)
                .containsEntry("OutgoingMailServerUsername", USER)
                .containsEntry("OutgoingPasswordSameAsIncomingPassword", true);
            assertThat((String) mail.get("PayloadIdentifier")).startsWith((String) profile.get("PayloadIdentifier"));
        }

        @Test
        void shouldAnswerAKnownAndAnUnknownUserAlikeButForTheAddress() throws Exception {
            Map<String, Object> known = mailPayload(profile(get("https", MOBILECONFIG + "?emailaddress=" + USER).body()));
            Map<String, Object> unknown = mailPayload(profile(get("https", MOBILECONFIG + "?emailaddress=" + UNKNOWN_USER).body()));

            assertThat(unknown.keySet()).isEqualTo(known.keySet());
            for (String key : known.keySet()) {
                if (!key.startsWith("Payload")) {
                    assertThat(String.valueOf(unknown.get(key)).replace(UNKNOWN_USER, USER)).as(key).isEqualTo(String.valueOf(known.get(key)));
                }
            }
        }

        @Test
        void shouldRequireTheAddress() throws Exception {
            HttpResponse<byte[]> response = get("https", MOBILECONFIG);

            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(new String(response.body(), UTF_8)).isEqualTo("400 Bad Request: emailaddress is missing\n");
        }
    }

    @Nested
    class PublishedSettingsWork {
        @Test
        void autoconfigSettingsShouldLetARealClientSubmitAndRead() throws Exception {
            List<PublishedServer> servers = PublishedServer.fromClientConfig(
                PublishedServer.parse(get("https", CLIENT_CONFIG + "?emailaddress=" + USER).body()), USER);

            submitWithEveryOutgoingServerThenReadWithEveryIncomingServer("autoconfig", servers);
        }

        @Test
        void autodiscoverSettingsShouldLetARealClientSubmitAndRead() throws Exception {
            List<PublishedServer> servers = PublishedServer.fromAutodiscover(
                PublishedServer.parse(post("https", AUTODISCOVER, autodiscoverRequest(USER)).body()));

            submitWithEveryOutgoingServerThenReadWithEveryIncomingServer("autodiscover", servers);
        }

        @Test
        void appleProfileSettingsShouldLetARealClientSubmitAndRead() throws Exception {
            List<PublishedServer> servers = PublishedServer.fromMobileConfig(
                mailPayload(profile(get("https", MOBILECONFIG + "?emailaddress=" + USER).body())));

            submitWithEveryOutgoingServerThenReadWithEveryIncomingServer("mobileconfig", servers);
        }

        @Test
        void theClientShouldRefuseTheServerUnderAnotherName() throws Exception {
            // control: the client really checks the certificate against the name it was given
            try (NameResolvingSocksProxy otherName = new NameResolvingSocksProxy("imap.elsewhere.test")) {
                MailClient client = new MailClient(trustingTheServer.getSocketFactory(), otherName.port());
                PublishedServer wrongName = new PublishedServer("IMAP", "imap.elsewhere.test", imapsPort, true, USER);

                assertThatThrownBy(() -> client.inboxSubjects(wrongName, PASSWORD))
                    .isInstanceOf(MessagingException.class)
                    .hasStackTraceContaining("Can't verify identity of server: imap.elsewhere.test");
                assertThat(otherName.connected()).containsExactly("imap.elsewhere.test:" + imapsPort);
            }
        }

        private void submitWithEveryOutgoingServerThenReadWithEveryIncomingServer(String document, List<PublishedServer> servers)
            throws Exception {
            MailClient client = new MailClient(trustingTheServer.getSocketFactory(), dns.port());
            List<PublishedServer> outgoing = servers.stream().filter(server -> server.protocol.equals("SMTP")).collect(Collectors.toList());
            List<PublishedServer> incoming = servers.stream().filter(server -> server.protocol.equals("IMAP")).collect(Collectors.toList());
            assertThat(outgoing).isNotEmpty();
            assertThat(incoming).isNotEmpty();

            List<String> subjects = new ArrayList<>();
            for (PublishedServer server : outgoing) {
                String subject = document + " via " + server + " " + UUID.randomUUID();
                client.submit(server, PASSWORD, USER, subject);
                subjects.add(subject);
            }
            for (PublishedServer server : incoming) {
                await().atMost(DELIVERY_TIMEOUT)
                    .pollInterval(Duration.ofMillis(500))
                    .untilAsserted(() -> assertThat(client.inboxSubjects(server, PASSWORD)).as("INBOX via %s", server)
                        .containsAll(subjects));
            }
            assertThat(dns.connected()).contains(servers.stream().map(server -> PUBLIC_NAME + ":" + server.port).toArray(String[]::new));
            assertThat(dns.refused()).isEmpty();
        }
    }

    @Nested
    class Refusals {
        @Test
        void anUnknownDomainShouldGet404AtEveryEndpoint() throws Exception {
            String unknown = "carol@unknown.example";
            String notFound = "404 Not Found: no settings are published for this domain\n";

            assertThat(answer(get("https", CLIENT_CONFIG + "?emailaddress=" + unknown))).isEqualTo(notFound);
            assertThat(answer(get("http", WELL_KNOWN_CLIENT_CONFIG + "?emailaddress=" + unknown))).isEqualTo(notFound);
            assertThat(answer(post("https", AUTODISCOVER, autodiscoverRequest(unknown)))).isEqualTo(notFound);
            assertThat(answer(get("https", MOBILECONFIG + "?emailaddress=" + unknown))).isEqualTo(notFound);
        }

        @Test
        void malformedRequestsShouldGet400WithoutTheirInputRepeated() throws Exception {
            Map<String, String> expected = new LinkedHashMap<>();
            expected.put(CLIENT_CONFIG + "?emailaddress=carol", "the e-mail address has no @");
            expected.put(CLIENT_CONFIG + "?emailaddress=%3Cscript%3E@" + DOMAIN,
                "the local part of the e-mail address is not 1 to 64 letters, digits and !#$%&'*+/=?^_`{|}~- separated by single dots");
            expected.put(CLIENT_CONFIG + "?emailaddress=carol@exa%3Cmple.org", "the domain is not a domain name of letters, digits and hyphens");
            expected.put(CLIENT_CONFIG + "?emailaddress=%zz", "the request target is not a valid URI with a percent-encoded UTF-8 query");
            expected.put(CLIENT_CONFIG + "?emailaddress=%C3%28@" + DOMAIN, "the request target is not a valid URI with a percent-encoded UTF-8 query");
            expected.put(CLIENT_CONFIG + "?emailaddress=" + USER + "&emailaddress=" + UNKNOWN_USER, "emailaddress is given more than once");
            expected.put(MOBILECONFIG + "?emailaddress=carol@", "the domain is not a domain name of letters, digits and hyphens");

            for (Map.Entry<String, String> request : expected.entrySet()) {
                RawResponse response = raw(false, "GET " + request.getKey() + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");

                assertThat(response.status).as(request.getKey()).isEqualTo(400);
                assertThat(new String(response.body, UTF_8)).as(request.getKey())
                    .isEqualTo("400 Bad Request: " + request.getValue() + "\n")
                    .doesNotContain("script", "carol", "zz", "exa<");
            }
        }

        @Test
        void malformedAutodiscoverRequestsShouldGet400() throws Exception {
            Map<String, String> expected = new LinkedHashMap<>();
            expected.put("not XML", "the body is not well-formed XML without a document type declaration");
            expected.put("<Autodiscover><Request><EMailAddress>" + USER + "</EMailAddress></Request></Autodiscover>",
                "the body is not an Autodiscover request of the schema http://schemas.microsoft.com/exchange/autodiscover/outlook/requestschema/2006");
            expected.put(new String(autodiscoverRequest(USER), UTF_8).replace("outlook/responseschema/2006a", "mobilesync/responseschema/2006"),
                "only the response schema http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a is served");
            expected.put(new String(autodiscoverRequest(USER), UTF_8).replace("<EMailAddress>" + USER + "</EMailAddress>", ""),
                "the Autodiscover request has no EMailAddress");

            for (Map.Entry<String, String> request : expected.entrySet()) {
                HttpResponse<byte[]> response = post("https", AUTODISCOVER, request.getKey().getBytes(UTF_8));

                assertThat(response.statusCode()).as(request.getKey()).isEqualTo(400);
                assertThat(answer(response)).isEqualTo("400 Bad Request: " + request.getValue() + "\n");
            }
        }

        @Test
        void otherMethodsShouldGet405WithAllow() throws Exception {
            for (String method : List.of("PUT", "DELETE", "POST", "OPTIONS")) {
                HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(uri("http", CLIENT_CONFIG + "?emailaddress=" + USER))
                    .method(method, HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofByteArray());

                assertThat(response.statusCode()).as(method).isEqualTo(405);
                assertThat(response.headers().firstValue("Allow")).as(method).hasValue("GET, HEAD");
            }
        }

        @Test
        void anyOtherPathShouldGet404() throws Exception {
            for (String path : List.of("/", "/conf/keystore.p12", "/mail/../conf/keystore.secret", "/mail/config-v1.1.xml/",
                "/webadmin/users", "/mail/config-v1.0.xml")) {
                RawResponse response = raw(false, "GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");

                assertThat(response.status).as(path).isEqualTo(404);
                assertThat(new String(response.body, UTF_8)).isEqualTo("404 Not Found: nothing is published at this path\n");
            }
        }

        @Test
        void aBodyOfExactly64KiBShouldBeRead() throws Exception {
            HttpResponse<byte[]> response = post("https", AUTODISCOVER, pad(autodiscoverRequest(USER), MAX_BODY));

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(PublishedServer.fromAutodiscover(PublishedServer.parse(response.body()))).hasSize(4);
        }

        @Test
        void aBodyAnnouncedOver64KiBShouldGet413BeforeItIsSent() throws Exception {
            RawResponse response = raw(true, "POST " + AUTODISCOVER + " HTTP/1.1\r\nHost: x\r\nContent-Type: text/xml\r\n"
                + "Content-Length: " + (MAX_BODY + 1) + "\r\n\r\n");

            assertThat(response.status).isEqualTo(413);
            assertThat(new String(response.body, UTF_8)).isEqualTo("413 Content Too Large: the request body is larger than 65536 octets\n");
            assertThat(response.header("connection")).isEqualTo("close");
            assertThat(response.closedByServer).isTrue();
        }

        @Test
        void aChunkedBodyGrowingOver64KiBShouldGet413() throws Exception {
            String chunk = " ".repeat(8192);
            StringBuilder request = new StringBuilder("POST " + AUTODISCOVER + " HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n");
            for (int i = 0; i < MAX_BODY / chunk.length(); i++) {
                request.append(Integer.toHexString(chunk.length())).append("\r\n").append(chunk).append("\r\n");
            }
            // the octet after 64 KiB; nothing follows, so that the server closes a connection it has read entirely
            request.append("1\r\n \r\n");

            RawResponse response = raw(false, request.toString());

            assertThat(response.status).isEqualTo(413);
            assertThat(new String(response.body, UTF_8)).isEqualTo("413 Content Too Large: the request body is larger than 65536 octets\n");
            assertThat(response.closedByServer).isTrue();
        }

        @Test
        void headerFieldsOver8KiBShouldGet431() throws Exception {
            RawResponse response = raw(false, "GET " + CLIENT_CONFIG + " HTTP/1.1\r\nHost: x\r\nX-Padding: " + "a".repeat(9000) + "\r\n\r\n");

            assertThat(response.status).isEqualTo(431);
            assertThat(response.closedByServer).isTrue();
        }

        @Test
        void aRequestLineOver4KiBShouldGet414() throws Exception {
            RawResponse response = raw(false, "GET " + CLIENT_CONFIG + "?emailaddress=" + "a".repeat(5000) + " HTTP/1.1\r\nHost: x\r\n\r\n");

            assertThat(response.status).isEqualTo(414);
            assertThat(response.closedByServer).isTrue();
        }

        @Test
        void aClientThatNeverFinishesItsRequestShouldBeDisconnected() throws Exception {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(LOOPBACK, autoconfigPort), 10_000);
                socket.setSoTimeout(30_000);
                OutputStream out = socket.getOutputStream();
                InputStream in = socket.getInputStream();
                String request = "GET " + CLIENT_CONFIG + "?emailaddress=" + USER + " HTTP/1.1\r\nHost: x\r\n";

                // one octet every half second: a read timeout would never fire, the request deadline (2 s here) does
                boolean closed = false;
                for (int i = 0; i < request.length() && !closed; i++) {
                    try {
                        out.write(request.charAt(i));
                        out.flush();
                        Thread.sleep(500);
                    } catch (SocketException e) {
                        closed = true;
                    }
                }
                assertThat(closed || in.read() == -1).as("the server closed the connection before the request was complete").isTrue();
            }
        }

        @Test
        void httpsShouldNegotiateTls13AndTls12() throws Exception {
            for (String protocol : List.of("TLSv1.3", "TLSv1.2")) {
                try (SSLSocket socket = (SSLSocket) trustingTheServer.getSocketFactory().createSocket(LOOPBACK, autoconfigsPort)) {
                    socket.setEnabledProtocols(new String[] {protocol});
                    SSLParameters parameters = socket.getSSLParameters();
                    parameters.setEndpointIdentificationAlgorithm("HTTPS");
                    socket.setSSLParameters(parameters);
                    socket.startHandshake();

                    assertThat(socket.getSession().getProtocol()).isEqualTo(protocol);
                }
            }
        }
    }

    @Nested
    class DnsRecords {
        @Test
        void shouldListTheRecordsOfTheDomainAsAZoneFileFragment() throws Exception {
            HttpResponse<String> response = webadmin("GET", "/submission/dns/" + DOMAIN);

            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain; charset=us-ascii");
            List<Record> records = parseZone(response.body());
            assertThat(records).extracting(SelfConfigurationTest::describeRecord).containsExactly(
                DOMAIN + ". MX 10 " + PUBLIC_NAME + ".",
                "_submissions._tcp." + DOMAIN + ". SRV 0 1 " + submissionsPort + " " + PUBLIC_NAME + ".",
                "_submission._tcp." + DOMAIN + ". SRV 10 1 " + submissionPort + " " + PUBLIC_NAME + ".",
                "_imaps._tcp." + DOMAIN + ". SRV 0 1 " + imapsPort + " " + PUBLIC_NAME + ".",
                "_imap._tcp." + DOMAIN + ". SRV 10 1 " + imapPort + " " + PUBLIC_NAME + ".",
                "_pop3._tcp." + DOMAIN + ". SRV 0 0 0 .",
                "_pop3s._tcp." + DOMAIN + ". SRV 0 0 0 .",
                "autoconfig." + DOMAIN + ". CNAME " + PUBLIC_NAME + ".",
                "autodiscover." + DOMAIN + ". CNAME " + PUBLIC_NAME + ".",
                "_autodiscover._tcp." + DOMAIN + ". SRV 0 0 " + autoconfigsPort + " " + PUBLIC_NAME + ".",
                DOMAIN + ". TXT [v=spf1 a:" + PUBLIC_NAME + " ~all]",
                "_dmarc." + DOMAIN + ". TXT [v=DMARC1; p=none; rua=mailto:postmaster@" + DOMAIN + "]");
            assertThat(records).allSatisfy(record -> assertThat(record.getTTL()).isEqualTo(3600));
            assertEveryRecordFollowsAComment(response.body());
            assertThat(response.body()).contains("; DKIM: not listed, conf/dkim/" + DOMAIN + ".dns.txt does not exist");
        }

        @Test
        void srvRecordsShouldAgreeWithThePublishedDocument() throws Exception {
            List<Record> records = parseZone(webadmin("GET", "/submission/dns/" + DOMAIN).body());
            List<PublishedServer> servers = PublishedServer.fromClientConfig(
                PublishedServer.parse(get("https", CLIENT_CONFIG + "?emailaddress=" + USER).body()), USER);

            for (PublishedServer server : servers) {
                String service = "_" + (server.protocol.equals("SMTP") ? "submission" : "imap") + (server.implicitTls ? "s" : "")
                    + "._tcp." + DOMAIN + ".";
                assertThat(records).filteredOn(record -> record.getName().toString().equals(service))
                    .singleElement()
                    .satisfies(record -> {
                        assertThat(((SRVRecord) record).getPort()).isEqualTo(server.port);
                        assertThat(((SRVRecord) record).getTarget().toString()).isEqualTo(server.host + ".");
                    });
            }
        }

        @Test
        void shouldListTheDkimKeyOfTheDefaultDomain() throws Exception {
            HttpResponse<String> response = webadmin("GET", "/submission/dns/" + DEFAULT_DOMAIN);

            assertThat(response.statusCode()).isEqualTo(200);
            TXTRecord dkim = parseZone(response.body()).stream()
                .filter(record -> record.getName().toString().equals("msa._domainkey." + DEFAULT_DOMAIN + "."))
                .map(TXTRecord.class::cast)
                .findFirst()
                .orElseThrow();
            List<String> strings = dkim.getStrings();
            assertThat(strings).allSatisfy(string -> assertThat(string.length()).isLessThanOrEqualTo(255));
            assertThat(String.join("", strings))
                .isEqualTo(DkimVerification.recordValue(home.resolve("conf/dkim/" + DEFAULT_DOMAIN + ".dns.txt")));
            assertEveryRecordFollowsAComment(response.body());
        }

        @Test
        void anUnknownDomainShouldGet404AndABadNameShouldGet400() throws Exception {
            HttpResponse<String> unknown = webadmin("GET", "/submission/dns/unknown.example");
            HttpResponse<String> bad = webadmin("GET", "/submission/dns/bad_name!");

            assertThat(unknown.statusCode()).isEqualTo(404);
            assertThat(unknown.body()).contains("\"message\":\"'unknown.example' is not a local domain\"");
            assertThat(bad.statusCode()).isEqualTo(400);
            assertThat(bad.body()).contains("is not a domain name of letters, digits and hyphens");
        }

        private List<Record> parseZone(String zone) throws IOException {
            List<Record> records = new ArrayList<>();
            try (Master master = new Master(new ByteArrayInputStream(zone.getBytes(UTF_8)), null)) {
                for (Record record = master.nextRecord(); record != null; record = master.nextRecord()) {
                    records.add(record);
                }
            }
            return records;
        }

        private void assertEveryRecordFollowsAComment(String zone) {
            List<String> lines = zone.lines().collect(Collectors.toList());
            assertThat(lines.get(0)).startsWith("; ");
            for (int i = 1; i < lines.size(); i++) {
                if (!lines.get(i).startsWith(";")) {
                    assertThat(lines.get(i - 1)).as("the line before '%s'", lines.get(i)).startsWith("; ");
                }
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private static String describeServer(Element server) {
        return server.getTagName() + " " + server.getAttribute("type") + " "
            + PublishedServer.children(server, null).stream().map(Element::getTextContent).collect(Collectors.joining(" "));
    }

    private static String describeProtocol(Element protocol) {
        return PublishedServer.children(protocol, PublishedServer.AUTODISCOVER_RESPONSE).stream()
            .map(element -> element.getLocalName() + "=" + element.getTextContent())
            .collect(Collectors.joining(" "));
    }

    private static String protocol(String type, int port, String encryption, String smtpTail) {
        return "Type=" + type + " Server=" + PUBLIC_NAME + " Port=" + port + " LoginName=" + USER
            + " DomainRequired=off SPA=off SSL=on AuthRequired=on Encryption=" + encryption + smtpTail;
    }

    private static String describeRecord(Record record) {
        String data = record instanceof TXTRecord ? ((TXTRecord) record).getStrings().toString() : record.rdataToString();
        return record.getName() + " " + Type.string(record.getType()) + " " + data;
    }

    private static void validateAgainstTheClientConfigSchema(byte[] document) throws Exception {
        SchemaFactory factory = SchemaFactory.newDefaultInstance();
        factory.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        factory.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        try (InputStream schema = SelfConfigurationTest.class.getResourceAsStream("/autoconfig/clientconfig-1.1.xsd")) {
            factory.newSchema(new StreamSource(schema)).newValidator()
                .validate(new StreamSource(new ByteArrayInputStream(document)));
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> profile(byte[] body) throws Exception {
        return (Map<String, Object>) PublishedServer.plist(PublishedServer.parse(body));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> mailPayload(Map<String, Object> profile) {
        List<Object> content = (List<Object>) profile.get("PayloadContent");
        assertThat(content).hasSize(1);
        return (Map<String, Object>) content.get(0);
    }

    private static byte[] autodiscoverRequest(String address) {
        return ("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
            + "<Autodiscover xmlns=\"http://schemas.microsoft.com/exchange/autodiscover/outlook/requestschema/2006\">\n"
            + "  <Request>\n"
            + "    <EMailAddress>" + address + "</EMailAddress>\n"
            + "    <AcceptableResponseSchema>http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a</AcceptableResponseSchema>\n"
            + "  </Request>\n"
            + "</Autodiscover>\n").getBytes(UTF_8);
    }

    /** {@code request} followed by spaces (whitespace after the root element) up to {@code length} octets. */
    private static byte[] pad(byte[] request, int length) {
        byte[] padded = new byte[length];
        System.arraycopy(request, 0, padded, 0, request.length);
        Arrays.fill(padded, request.length, length, (byte) ' ');
        return padded;
    }

    private static String answer(HttpResponse<byte[]> response) {
        return new String(response.body(), UTF_8);
    }

    private static URI uri(String scheme, String pathAndQuery) {
        return URI.create(scheme + "://" + LOOPBACK + ":" + (scheme.equals("https") ? autoconfigsPort : autoconfigPort) + pathAndQuery);
    }

    private static HttpResponse<byte[]> get(String scheme, String pathAndQuery) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri(scheme, pathAndQuery)).timeout(Duration.ofSeconds(30)).GET().build(),
            HttpResponse.BodyHandlers.ofByteArray());
    }

    private static HttpResponse<byte[]> post(String scheme, String path, byte[] body) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri(scheme, path)).timeout(Duration.ofSeconds(30))
            .header("Content-Type", "text/xml; charset=utf-8")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static HttpResponse<String> webadmin(String method, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://" + LOOPBACK + ":" + webadminPort + path))
            .timeout(Duration.ofSeconds(30))
            .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** One request written as given, over plain HTTP or HTTPS; the response read until the server closes or its length. */
    private static RawResponse raw(boolean tls, String request) throws Exception {
        Socket plain = new Socket();
        plain.connect(new InetSocketAddress(LOOPBACK, tls ? autoconfigsPort : autoconfigPort), 10_000);
        try (Socket socket = tls ? trustingTheServer.getSocketFactory().createSocket(plain, LOOPBACK, autoconfigsPort, true) : plain) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(request.getBytes(UTF_8));
            socket.getOutputStream().flush();
            return RawResponse.read(socket.getInputStream());
        }
    }

    private static SSLContext trustOnly(Path keystore, Path secretFile) throws Exception {
        char[] secret = Files.readAllLines(secretFile, UTF_8).get(0).trim().toCharArray();
        KeyStore serverKeys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            serverKeys.load(in, secret);
        }
        // every certificate of the server (ECDSA and RSA: which one it presents depends on the client)
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        for (String alias : java.util.Collections.list(serverKeys.aliases())) {
            Certificate certificate = serverKeys.getCertificate(alias);
            trusted.setCertificateEntry(alias, certificate);
        }
        TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trustManagers.getTrustManagers(), null);
        return context;
    }

    private static void shortenTheRequestTimeout(Path properties) throws IOException {
        String text = Files.readString(properties, UTF_8);
        assertThat(text).contains("\ntimeout=10\n");
        Files.writeString(properties, text.replace("\ntimeout=10\n", "\ntimeout=2\n"), UTF_8);
    }

    private static int freePort() throws IOException {
        return AssembledHomeProcess.freePort();
    }

    private static String jamesLog() throws IOException {
        return AssembledHomeProcess.output(jamesOutput);
    }

    /** An HTTP/1.1 response read from a socket: status, header fields (names in lower case), body, and whether the server closed. */
    private static final class RawResponse {
        final int status;
        final Map<String, String> headers;
        final byte[] body;
        final boolean closedByServer;

        private RawResponse(int status, Map<String, String> headers, byte[] body, boolean closedByServer) {
            this.status = status;
            this.headers = headers;
            this.body = body;
            this.closedByServer = closedByServer;
        }

        String header(String name) {
            return headers.get(name);
        }

        static RawResponse read(InputStream in) throws IOException {
            String statusLine = line(in);
            Map<String, String> headers = new LinkedHashMap<>();
            for (String line = line(in); !line.isEmpty(); line = line(in)) {
                int colon = line.indexOf(':');
                headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
            }
            int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
            byte[] body = in.readNBytes(length);
            boolean closed;
            try {
                closed = in.read() == -1;
            } catch (SocketTimeoutException e) {
                closed = false;
            } catch (SocketException e) {
                closed = true;
            }
            return new RawResponse(Integer.parseInt(statusLine.split(" ")[1]), headers, body, closed);
        }

        private static String line(InputStream in) throws IOException {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            for (int b = in.read(); b != -1 && b != '\n'; b = in.read()) {
                if (b != '\r') {
                    bytes.write(b);
                }
            }
            return bytes.toString(UTF_8);
        }
    }
}
