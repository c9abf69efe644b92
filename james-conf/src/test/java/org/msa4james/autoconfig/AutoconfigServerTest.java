package org.msa4james.autoconfig;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.james.server.core.JamesServerResourceLoader;
import org.apache.james.server.core.filesystem.FileSystemImpl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

/**
 * The self-configuration listener over real sockets on 127.0.0.1, in this JVM, with a responder over fixed settings:
 * its bounds (connections in all and per client address, the request deadline, the TLS handshake deadline), keep-alive,
 * HTTPS with a certificate made by keytool, start and stop, and its logging.
 */
class AutoconfigServerTest {
    private static final String SECRET = "autoconfig-test-secret";
    private static final String REQUEST = "GET /mail/config-v1.1.xml?emailaddress=alice@example.test HTTP/1.1\r\nHost: x\r\n\r\n";

    @TempDir
    static Path home;

    private AutoconfigServer server;

    @BeforeAll
    static void makeAKeystoreWithKeytool() throws Exception {
        Files.createDirectories(home.resolve("conf"));
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
            "-genkeypair", "-noprompt", "-alias", "test", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
            "-dname", "CN=mail.example.test", "-ext", "SAN=dns:mail.example.test,ip:127.0.0.1",
            "-storetype", "PKCS12", "-keystore", home.resolve("conf/keystore.p12").toString(), "-storepass", SECRET)
            .redirectErrorStream(true)
            .start();
        String output = new String(keytool.getInputStream().readAllBytes(), UTF_8);
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(keytool.exitValue()).as(output).isZero();
    }

    @AfterEach
    void stopTheServer() {
        if (server != null) {
            server.stop();
        }
    }

    private AutoconfigServer start(Map<String, String> overrides) throws Exception {
        Map<String, String> values = new HashMap<>(AutoconfigConfigurationTest.shipped());
        values.put("http.port", String.valueOf(freePort()));
        values.put("https.port", String.valueOf(freePort()));
        values.put("https.secret", SECRET);
        values.putAll(overrides);
        AutoconfigConfiguration configuration = AutoconfigConfiguration.from(AutoconfigConfigurationTest.configuration(values));
        AutoconfigResponder responder = new AutoconfigResponder(
            () -> MailSettings.of("mail.example.test", MailSettingsTest.shippedListeners(25, 587, 465, 143, 993)),
            Set.of("example.test")::contains);
        server = new AutoconfigServer(configuration, responder, new FileSystemImpl(new JamesServerResourceLoader(home.toString())));
        server.start();
        return server;
    }

    @Test
    void shouldAnswerOverHttpAndHttpsWithTls13Or12Only() throws Exception {
        start(Map.of());

        Response plain = exchange(connect("127.0.0.1"), REQUEST);
        for (String protocol : List.of("TLSv1.3", "TLSv1.2")) {
            SSLSocket tls = tls(protocol);
            Response secured = exchange(tls, REQUEST);

            assertThat(tls.getSession().getProtocol()).isEqualTo(protocol);
            assertThat(secured.status).isEqualTo(200);
            assertThat(secured.body).isEqualTo(plain.body);
            tls.close();
        }
        assertThat(plain.status).isEqualTo(200);
    }

    @Test
    void aKeptAliveConnectionShouldServeSeveralRequestsThenCloseWhenIdle() throws Exception {
        start(Map.of("timeout", "1"));
        Socket socket = connect("127.0.0.1");

        assertThat(exchange(socket, REQUEST).status).isEqualTo(200);
        assertThat(exchange(socket, REQUEST).status).isEqualTo(200);

        assertThat(closedByServer(socket)).as("an idle kept-alive connection is closed after the timeout").isTrue();
    }

    @Test
    void aClientSendingOneOctetAtATimeShouldBeClosedAtTheDeadline() throws Exception {
        start(Map.of("timeout", "1"));
        Socket socket = connect("127.0.0.1");

        boolean refused = false;
        for (int i = 0; i < REQUEST.length() - 2 && !refused; i++) {
            try {
                socket.getOutputStream().write(REQUEST.charAt(i));
                socket.getOutputStream().flush();
                Thread.sleep(200);
            } catch (SocketException e) {
                refused = true;
            }
        }

        assertThat(refused || closedByServer(socket)).isTrue();
    }

    @Test
    void aTlsClientThatNeverHandshakesShouldBeClosedAtTheDeadline() throws Exception {
        start(Map.of("timeout", "1"));
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", server.httpsPort().orElseThrow()), 5_000);

        assertThat(closedByServer(socket)).isTrue();
    }

    @Test
    void connectionsOverTheLimitPerAddressShouldBeClosedAtOnce() throws Exception {
        start(Map.of("connectionLimit", "10", "connectionLimitPerIP", "2"));
        Socket first = served("127.0.0.1");
        Socket second = served("127.0.0.1");

        Socket third = connect("127.0.0.1");
        Socket fromAnotherAddress = connect("127.0.0.2");

        assertThat(closedByServer(third)).isTrue();
        assertThat(exchange(fromAnotherAddress, REQUEST).status).isEqualTo(200);
        assertThat(exchange(first, REQUEST).status).isEqualTo(200);
        second.close();
        Socket again = awaitAccepted("127.0.0.1");
        assertThat(exchange(again, REQUEST).status).isEqualTo(200);
    }

    @Test
    void connectionsOverTheLimitInAllShouldBeClosedAtOnce() throws Exception {
        start(Map.of("connectionLimit", "2", "connectionLimitPerIP", "2"));
        Socket first = served("127.0.0.1");
        Socket second = served("127.0.0.2");

        Socket third = connect("127.0.0.3");

        assertThat(closedByServer(third)).isTrue();
        assertThat(exchange(first, REQUEST).status).isEqualTo(200);
        assertThat(exchange(second, REQUEST).status).isEqualTo(200);
    }

    @Test
    void eachRequestShouldBeLoggedOnceAtDebugAndNeverAtInfo() throws Exception {
        start(Map.of());
        Logger logger = (Logger) LoggerFactory.getLogger(AutoconfigHttpHandler.class);
        ListAppender<ILoggingEvent> events = new ListAppender<>();
        events.start();
        Level previous = logger.getLevel();
        logger.setLevel(Level.DEBUG);
        logger.addAppender(events);
        try {
            Socket socket = connect("127.0.0.1");
            exchange(socket, REQUEST);
            exchange(socket, "GET /nothing HTTP/1.1\r\nHost: x\r\n\r\n");
            socket.close();
        } finally {
            logger.detachAppender(events);
            logger.setLevel(previous);
        }

        assertThat(events.list).extracting(ILoggingEvent::getLevel).containsExactly(Level.DEBUG, Level.DEBUG);
        assertThat(events.list).extracting(ILoggingEvent::getFormattedMessage).containsExactly(
            "127.0.0.1 GET /mail/config-v1.1.xml -> 200", "127.0.0.1 GET /nothing -> 404");
    }

    @Test
    void portsZeroShouldOpenNothing() throws Exception {
        start(Map.of("http.port", "0", "https.port", "0"));

        assertThat(server.httpPort()).isEmpty();
        assertThat(server.httpsPort()).isEmpty();
    }

    @Test
    void aPortInUseShouldStopTheStartNamingTheKey() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            assertThatThrownBy(() -> start(Map.of("https.port", String.valueOf(taken.getLocalPort()))))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("conf/autoconfig.properties: cannot listen on 127.0.0.1 https.port " + taken.getLocalPort() + ": ");
        }
        assertThat(server.httpPort()).as("the HTTP port bound first is closed again").isEmpty();
    }

    @Test
    void aWrongKeystorePasswordShouldStopTheStartNamingTheKeystore() {
        assertThatThrownBy(() -> start(Map.of("https.secret", "wrong")))
            .isInstanceOf(ConfigurationException.class)
            .hasMessageStartingWith("conf/autoconfig.properties: cannot read the keystore https.keystore=file://conf/keystore.p12 (PKCS12): ")
            .hasMessageNotContaining("wrong");
    }

    @Test
    void stopShouldFreeThePorts() throws Exception {
        start(Map.of());
        int port = server.httpPort().orElseThrow();

        server.stop();

        try (ServerSocket again = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
            assertThat(again.getLocalPort()).isEqualTo(port);
        }
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private Socket connect(String from) throws IOException {
        Socket socket = new Socket();
        socket.bind(new InetSocketAddress(from, 0));
        socket.connect(new InetSocketAddress("127.0.0.1", server.httpPort().orElseThrow()), 5_000);
        socket.setSoTimeout(10_000);
        return socket;
    }

    /** A connection from {@code from} that has been answered once: the server counts it. */
    private Socket served(String from) throws IOException {
        Socket socket = connect(from);
        assertThat(exchange(socket, REQUEST).status).isEqualTo(200);
        return socket;
    }

    /** A new connection from {@code from}, once the server has counted the one closed before (it does so asynchronously). */
    private Socket awaitAccepted(String from) throws Exception {
        for (int attempt = 0; attempt < 50; attempt++) {
            Socket socket = connect(from);
            socket.setSoTimeout(200);
            try {
                if (socket.getInputStream().read() == -1) {
                    socket.close();
                    Thread.sleep(100);
                    continue;
                }
            } catch (SocketTimeoutException e) {
                socket.setSoTimeout(10_000);
                return socket;
            }
        }
        throw new AssertionError("no connection from " + from + " was kept open");
    }

    private SSLSocket tls(String protocol) throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(home.resolve("conf/keystore.p12"))) {
            keys.load(in, SECRET.toCharArray());
        }
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("server", keys.getCertificate("test"));
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", server.httpsPort().orElseThrow());
        socket.setEnabledProtocols(new String[] {protocol});
        socket.setSoTimeout(10_000);
        socket.startHandshake();
        return socket;
    }

    private static boolean closedByServer(Socket socket) throws IOException {
        socket.setSoTimeout(10_000);
        try {
            return socket.getInputStream().read() == -1;
        } catch (SocketException e) {
            return true;
        }
    }

    private static Response exchange(Socket socket, String request) throws IOException {
        socket.getOutputStream().write(request.getBytes(UTF_8));
        socket.getOutputStream().flush();
        InputStream in = socket.getInputStream();
        String status = line(in);
        int length = 0;
        for (String header = line(in); !header.isEmpty(); header = line(in)) {
            if (header.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(header.substring(header.indexOf(':') + 1).trim());
            }
        }
        return new Response(Integer.parseInt(status.split(" ")[1]), in.readNBytes(length));
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b == -1) {
                throw new IOException("connection closed by the server");
            }
            if (b != '\r') {
                bytes.write(b);
            }
        }
        return bytes.toString(UTF_8);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }

    private static final class Response {
        final int status;
        final byte[] body;

        Response(int status, byte[] body) {
            this.status = status;
            this.body = body;
        }
    }
}
