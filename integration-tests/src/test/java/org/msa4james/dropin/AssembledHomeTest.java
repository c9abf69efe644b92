package org.msa4james.dropin;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.Writer;
import java.net.InetAddress;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.apache.commons.net.smtp.AuthenticatingSMTPClient;
import org.apache.commons.net.smtp.AuthenticatingSMTPClient.AUTH_METHOD;
import org.apache.commons.net.util.TrustManagerUtils;
import org.apache.james.jdkim.api.SignatureRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;
import org.msa4james.it.AssembledHomeProcess;
import org.msa4james.it.DkimVerification;
import org.msa4james.it.ImapTestClient;
import org.msa4james.it.ReceivedReport;
import org.msa4james.it.SmtpTestClient;
import org.subethamail.wiser.Wiser;
import org.subethamail.wiser.WiserMessage;

/**
 * The drop-in route: the James home that james-conf assembles (target/msa4james) started as an administrator
 * starts it, with bin/msa4james in a separate process, and used over real sockets on 127.0.0.1. This is the only
 * test in which James loads the msa4james jars from extensions-jars/ rather than from the test classpath.
 *
 * <p>The assembled home is copied to a temporary directory first, so the generated keystore and the logs stay out
 * of target/. Remote mail is relayed (MSA_RELAY_GATEWAY) to a Wiser fake SMTP server in this JVM.</p>
 */
@ExtendWith(AssembledHomeTest.PrintJamesLogOnFailure.class)
class AssembledHomeTest {
    private static final String LOOPBACK = "127.0.0.1";
    private static final String PUBLIC_NAME = "mail.example.test";
    private static final String USER = "alice@example.test";
    private static final String PASSWORD = "dropin-" + UUID.randomUUID();
    private static final String REMOTE_RECIPIENT = "bob@example.com";
    private static final String DOMAIN = "example.test";
    private static final String DKIM_SELECTOR = "dropin";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(30);
    private static final int LOG_TAIL_LINES = 80;

    private static Path temporaryDirectory;
    private static Path home;
    private static Path jamesOutput;
    private static Process james;
    private static Wiser wiser;
    private static int submissionPort;
    private static int submissionsPort;
    private static int webadminPort;
    private static int imapsPort;

    @BeforeAll
    static void startAssembledHome() throws Exception {
        Path assembled = Path.of(System.getProperty("msa.home", "../james-conf/target/msa4james")).toAbsolutePath().normalize();
        assertThat(assembled.resolve("bin/msa4james"))
            .as("the assembled James home (build it with: mvn package -pl james-conf -am)")
            .isExecutable();

        temporaryDirectory = Files.createTempDirectory("msa4james-dropin-");
        home = temporaryDirectory.resolve("msa4james");
        AssembledHomeProcess.copyTree(assembled, home);
        jamesOutput = temporaryDirectory.resolve("james-process.log");

        int wiserPort = freePort();
        wiser = new Wiser();
        wiser.setHostname("relay.test");
        wiser.getServer().setBindAddress(InetAddress.getByName(LOOPBACK));
        wiser.setPort(wiserPort);
        wiser.start();

        submissionPort = freePort();
        submissionsPort = freePort();
        webadminPort = freePort();

        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("MSA_JAVA_OPTS", "-Xmx512m");
        environment.put("MSA_BIND", LOOPBACK);
        environment.put("MSA_SMTP_PORT", String.valueOf(freePort()));
        environment.put("MSA_SUBMISSION_PORT", String.valueOf(submissionPort));
        environment.put("MSA_SUBMISSIONS_PORT", String.valueOf(submissionsPort));
        environment.put("MSA_IMAP_PORT", String.valueOf(freePort()));
        imapsPort = freePort();
        environment.put("MSA_IMAPS_PORT", String.valueOf(imapsPort));
        environment.put("MSA_WEBADMIN_PORT", String.valueOf(webadminPort));
        environment.put("MSA_AUTOCONFIG_PORT", "0");
        environment.put("MSA_AUTOCONFIGS_PORT", "0");
        environment.put("MSA_RELAY_GATEWAY", LOOPBACK + ":" + wiserPort);
        environment.put("MSA_DEFAULT_DOMAIN", DOMAIN);
        environment.put("MSA_DKIM_SELECTOR", DKIM_SELECTOR);
        environment.put("MSA_HOSTNAME", PUBLIC_NAME);
        ProcessBuilder builder = AssembledHomeProcess.builder(home, temporaryDirectory, jamesOutput, environment);

        try {
            james = builder.start();
            await().atMost(START_TIMEOUT)
                .pollInterval(Duration.ofMillis(500))
                .until(() -> !james.isAlive() || jamesLog().contains("JAMES server started"));
            if (!james.isAlive()) {
                throw new AssertionError("bin/msa4james exited with code " + james.exitValue() + " before James started; it printed:\n"
                    + AssembledHomeProcess.outputTail(jamesOutput, 15));
            }

            createUser(USER, PASSWORD);
        } catch (Exception | AssertionError e) {
            printJamesLogTail();
            throw e;
        }
    }

    @AfterAll
    static void stopJamesAndWiser() throws Exception {
        try {
            AssembledHomeProcess.stop(james);
        } finally {
            if (wiser != null) {
                wiser.stop();
            }
            if (temporaryDirectory != null) {
                AssembledHomeProcess.deleteTree(temporaryDirectory);
            }
        }
    }

    @Test
    void firstStartShouldGenerateASelfSignedKeystoreWithAPrivatePassword() throws Exception {
        assertThat(home.resolve("conf/keystore.p12")).isRegularFile();
        assertThat(Files.getPosixFilePermissions(home.resolve("conf/keystore.secret")))
            .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        assertThat(jamesLog()).contains("generated SELF-SIGNED certificates (ECDSA P-256 and RSA 2048) for '" + PUBLIC_NAME + "'");

        char[] secret = Files.readAllLines(home.resolve("conf/keystore.secret"), UTF_8).get(0).trim().toCharArray();
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(home.resolve("conf/keystore.p12"))) {
            keyStore.load(in, secret);
        }
        assertThat(java.util.Collections.list(keyStore.aliases())).containsExactlyInAnyOrder("msa4james", "msa4james-ecdsa");
        for (String alias : List.of("msa4james", "msa4james-ecdsa")) {
            X509Certificate certificate = (X509Certificate) keyStore.getCertificate(alias);
            assertThat(certificate.getSubjectX500Principal().getName()).isEqualTo("CN=" + PUBLIC_NAME);
            assertThat(certificate.getSubjectAlternativeNames())
                .extracting(name -> (Object) name.get(1))
                .containsExactlyInAnyOrder(PUBLIC_NAME, "localhost", "127.0.0.1");
        }
        assertThat(keyStore.getCertificate("msa4james").getPublicKey().getAlgorithm()).isEqualTo("RSA");
        assertThat(keyStore.getCertificate("msa4james-ecdsa").getPublicKey().getAlgorithm()).isEqualTo("EC");
    }

    @Test
    void firstStartShouldGenerateAPrivateDkimKeyAndTheDnsRecordToPublish() throws Exception {
        Path key = home.resolve("conf/dkim/" + DOMAIN + ".pem");
        Path record = home.resolve("conf/dkim/" + DOMAIN + ".dns.txt");

        assertThat(Files.getPosixFilePermissions(key))
            .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        List<String> recordLines = Files.readAllLines(record, UTF_8);
        assertThat(recordLines).hasSize(1);
        assertThat(recordLines.get(0))
            .startsWith(DKIM_SELECTOR + "._domainkey." + DOMAIN + ". IN TXT ( \"v=DKIM1; k=rsa; \" \"p=")
            .endsWith("\" )");
        assertThat(jamesLog())
            .contains("generated a DKIM key for '" + DOMAIN + "' in " + key)
            .contains("PUBLISH the DNS TXT record written in " + record)
            .contains(recordLines.get(0));

        String pem = Files.readString(key, UTF_8);
        assertThat(pem).startsWith("-----BEGIN PRIVATE KEY-----\n").endsWith("-----END PRIVATE KEY-----\n");
        RSAPrivateCrtKey privateKey = (RSAPrivateCrtKey) KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(
            Base64.getMimeDecoder().decode(pem.replace("-----BEGIN PRIVATE KEY-----", "").replace("-----END PRIVATE KEY-----", ""))));
        assertThat(privateKey.getModulus().bitLength()).isEqualTo(2048);
        String publishedKey = DkimVerification.recordValue(record).substring("v=DKIM1; k=rsa; p=".length());
        RSAPublicKey publicKey = (RSAPublicKey) KeyFactory.getInstance("RSA")
            .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(publishedKey)));
        assertThat(publicKey.getModulus()).isEqualTo(privateKey.getModulus());
    }

    @Test
    void relayedSubmissionShouldCarryADkimSignatureThatVerifiesWithTheGeneratedKey() throws Exception {
        String subject = "drop-in DKIM " + UUID.randomUUID();
        AuthenticatingSMTPClient client = new AuthenticatingSMTPClient("TLS", true);
        client.setTrustManager(TrustManagerUtils.getAcceptAllTrustManager());
        try {
            client.connect(LOOPBACK, submissionsPort);
            assertThat(client.ehlo("client.example.test")).as(client.getReplyString()).isEqualTo(250);

            submit(client, subject);
        } finally {
            disconnect(client);
        }

        assertRelayed(subject);
        WiserMessage relayed = wiserMessages().stream()
            .filter(message -> new String(message.getData(), UTF_8).contains("Subject: " + subject + "\r\n"))
            .findFirst()
            .orElseThrow();
        String recordValue = DkimVerification.recordValue(home.resolve("conf/dkim/" + DOMAIN + ".dns.txt"));
        List<SignatureRecord> verified = DkimVerification.verify(relayed.getData(), DKIM_SELECTOR, DOMAIN, recordValue);

        assertThat(verified).hasSize(1);
        assertThat(verified.get(0).getDToken().toString()).isEqualTo(DOMAIN);
        assertThat(verified.get(0).getSelector().toString()).isEqualTo(DKIM_SELECTOR);
        // the signature that verified was computed by BoringSSL, the shipped default on Linux x86-64
        assertThat(jamesLog()).contains("BoringSSL through Conscrypt 2.5.2 computes the server's signatures (DKIM's RSA, the TLS "
            + "handshake's ECDSA or RSA)");
    }

    @Test
    void keystorePasswordShouldNotAppearOnTheCommandLine() throws IOException {
        String secret = Files.readAllLines(home.resolve("conf/keystore.secret"), UTF_8).get(0).trim();
        Optional<String> commandLine = james.toHandle().info().commandLine();

        assertThat(secret).isNotBlank();
        assertThat(commandLine).hasValueSatisfying(line -> assertThat(line)
            .contains("org.msa4james.server.MsaJamesServerMain")
            .doesNotContain(secret));
    }

    @Test
    void submissionPortShouldRelayAnAuthenticatedSubmissionAfterStartTls() throws Exception {
        String subject = "drop-in 587 " + UUID.randomUUID();
        AuthenticatingSMTPClient client = new AuthenticatingSMTPClient("TLS", false);
        client.setTrustManager(TrustManagerUtils.getAcceptAllTrustManager());
        try {
            client.connect(LOOPBACK, submissionPort);
            assertThat(client.getReplyCode()).as(client.getReplyString()).isEqualTo(220);
            assertThat(client.ehlo("client.example.test")).as(client.getReplyString()).isEqualTo(250);
            assertThat(client.execTLS()).as(client.getReplyString()).isTrue();
            assertThat(client.getReplyCode()).isEqualTo(220);
            assertThat(client.ehlo("client.example.test")).as(client.getReplyString()).isEqualTo(250);

            submit(client, subject);
        } finally {
            disconnect(client);
        }

        assertRelayed(subject);
    }

    @Test
    void submissionsPortShouldRelayAnAuthenticatedSubmissionOverImplicitTls() throws Exception {
        String subject = "drop-in 465 " + UUID.randomUUID();
        AuthenticatingSMTPClient client = new AuthenticatingSMTPClient("TLS", true);
        client.setTrustManager(TrustManagerUtils.getAcceptAllTrustManager());
        try {
            client.connect(LOOPBACK, submissionsPort);
            assertThat(client.getReplyString()).isEqualTo("220 " + PUBLIC_NAME + " ESMTP ready\r\n");
            assertThat(client.ehlo("client.example.test")).as(client.getReplyString()).isEqualTo(250);

            submit(client, subject);
        } finally {
            disconnect(client);
        }

        assertRelayed(subject);
    }

    /** A client that offers ECDSA signatures (every current one does) gets the generated ECDSA certificate. */
    @Test
    void tlsShouldSignWithTheEcdsaKeyForAClientThatOffersIt() throws Exception {
        try (SmtpTestClient smtp = SmtpTestClient.connectImplicitTls(LOOPBACK, submissionsPort)) {
            assertThat(smtp.serverKeyAlgorithm()).contains("EC");
        }
        try (SmtpTestClient smtp = SmtpTestClient.connect(LOOPBACK, submissionPort)) {
            smtp.ehlo();
            assertThat(smtp.startTls().code()).isEqualTo(220);
            assertThat(smtp.serverKeyAlgorithm()).contains("EC");
        }
    }

    /**
     * DSN through the extension class loader: EHLO offers it, the next hop (a Wiser, without DSN) takes the mail, and
     * the sender, who asked for SUCCESS, finds a "relayed" report in her mailbox.
     */
    @Test
    void aDeliveryReceiptShouldReachTheSenderWhenTheNextHopOffersNoDsn() throws Exception {
        String subject = "drop-in receipt " + UUID.randomUUID();
        try (SmtpTestClient smtp = SmtpTestClient.connectImplicitTls(LOOPBACK, submissionsPort).authenticated(USER, PASSWORD)) {
            assertThat(smtp.ehlo().ehloKeywords()).contains("DSN");
            assertThat(smtp.command("MAIL FROM:<" + USER + "> RET=HDRS ENVID=dropin1").code()).isEqualTo(250);
            assertThat(smtp.command("RCPT TO:<" + REMOTE_RECIPIENT + "> NOTIFY=SUCCESS,FAILURE").code()).isEqualTo(250);
            assertThat(smtp.data("From: " + USER + "\r\nTo: " + REMOTE_RECIPIENT + "\r\nSubject: " + subject + "\r\n\r\nHello\r\n")
                .code()).isEqualTo(250);
        }
        assertRelayed(subject);

        try (ImapTestClient imap = ImapTestClient.loginWithImplicitTls(LOOPBACK, imapsPort, USER, PASSWORD)) {
            ReceivedReport report = ReceivedReport.parse(imap.awaitRawMessage("Relayed: " + subject, DELIVERY_TIMEOUT));
            assertThat(report.perMessageFields()).containsEntry("Original-Envelope-Id", "dropin1")
                .containsEntry("Reporting-MTA", "dns; " + PUBLIC_NAME);
            assertThat(report.recipientFields()).hasSize(1);
            assertThat(report.recipientFields().get(0))
                .containsEntry("Final-Recipient", "rfc822; " + REMOTE_RECIPIENT)
                .containsEntry("Action", "relayed")
                .containsEntry("Status", "2.0.0")
                .containsEntry("Remote-MTA", "dns; [" + LOOPBACK + "]");
            assertThat(report.header("Message-ID")).endsWith("@" + DOMAIN + ">");
        }
    }

    @Test
    void submissionPortShouldRefuseMailWithoutAuthentication() throws Exception {
        AuthenticatingSMTPClient client = new AuthenticatingSMTPClient("TLS", false);
        client.setTrustManager(TrustManagerUtils.getAcceptAllTrustManager());
        try {
            client.connect(LOOPBACK, submissionPort);
            assertThat(client.ehlo("client.example.test")).isEqualTo(250);
            assertThat(client.execTLS()).as(client.getReplyString()).isTrue();
            assertThat(client.ehlo("client.example.test")).isEqualTo(250);

            assertThat(client.setSender(USER)).isFalse();
            assertThat(client.getReplyCode()).as(client.getReplyString()).isEqualTo(530);
            assertThat(client.getReplyString()).contains("5.7.0");
        } finally {
            disconnect(client);
        }
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private static void submit(AuthenticatingSMTPClient client, String subject) throws Exception {
        assertThat(client.auth(AUTH_METHOD.PLAIN, USER, PASSWORD)).as(client.getReplyString()).isTrue();
        assertThat(client.getReplyCode()).isEqualTo(235);
        assertThat(client.setSender(USER)).as(client.getReplyString()).isTrue();
        assertThat(client.getReplyCode()).isEqualTo(250);
        assertThat(client.addRecipient(REMOTE_RECIPIENT)).as(client.getReplyString()).isTrue();
        assertThat(client.getReplyCode()).isEqualTo(250);

        Writer data = client.sendMessageData();
        assertThat(data).as(client.getReplyString()).isNotNull();
        assertThat(client.getReplyCode()).isEqualTo(354);
        data.write("From: " + USER + "\r\n"
            + "To: " + REMOTE_RECIPIENT + "\r\n"
            + "Subject: " + subject + "\r\n"
            + "\r\n"
            + "Sent through the assembled msa4james home.\r\n");
        data.close();
        assertThat(client.completePendingCommand()).as(client.getReplyString()).isTrue();
        assertThat(client.getReplyCode()).isEqualTo(250);
    }

    private static void assertRelayed(String subject) {
        await().atMost(DELIVERY_TIMEOUT)
            .pollInterval(Duration.ofMillis(200))
            .untilAsserted(() -> assertThat(wiserMessages())
                .anySatisfy(message -> {
                    assertThat(message.getEnvelopeSender()).isEqualTo(USER);
                    assertThat(message.getEnvelopeReceiver()).isEqualTo(REMOTE_RECIPIENT);
                    assertThat(new String(message.getData(), UTF_8)).contains("Subject: " + subject);
                }));
    }

    private static List<WiserMessage> wiserMessages() {
        synchronized (wiser.getMessages()) {
            return new ArrayList<>(wiser.getMessages());
        }
    }

    private static void createUser(String user, String password) throws Exception {
        HttpResponse<String> response = AssembledHomeProcess.putUser(HttpClient.newHttpClient(), LOOPBACK, webadminPort, user, password);

        assertThat(response.statusCode()).as("PUT /users/%s: %s", user, response.body()).isEqualTo(204);
    }

    private static void disconnect(AuthenticatingSMTPClient client) throws IOException {
        if (client.isConnected()) {
            try {
                client.logout();
            } finally {
                client.disconnect();
            }
        }
    }

    private static int freePort() throws IOException {
        return AssembledHomeProcess.freePort();
    }

    private static String jamesLog() throws IOException {
        return AssembledHomeProcess.output(jamesOutput);
    }

    private static void printJamesLogTail() {
        AssembledHomeProcess.printOutputTail(jamesOutput, LOG_TAIL_LINES);
    }

    /** Prints the end of the James process output when a test fails. */
    static class PrintJamesLogOnFailure implements TestWatcher {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            printJamesLogTail();
        }
    }
}
