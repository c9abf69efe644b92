package org.msa4james.it;

import static org.msa4james.it.Fixtures.ALICE;
import static org.msa4james.it.Fixtures.ALICE_ALIAS;
import static org.msa4james.it.Fixtures.BOB;
import static org.msa4james.it.Fixtures.BOB_AT_SALES;
import static org.msa4james.it.Fixtures.DOMAIN;
import static org.msa4james.it.Fixtures.PASSWORD;
import static org.msa4james.it.Fixtures.SALES_DOMAIN;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import org.apache.james.GuiceJamesServer;
import org.apache.james.utils.DataProbeImpl;
import org.apache.james.utils.GuiceProbe;
import org.msa4james.server.MsaJamesConfiguration;
import org.msa4james.server.MsaServers;
import org.msa4james.server.Storage;
import org.subethamail.wiser.Wiser;
import org.subethamail.wiser.WiserMessage;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.google.inject.multibindings.Multibinder;

/**
 * A real James started in the test JVM with the shipped msa4james configuration,
 * plus a Wiser that plays the remote SMTP world behind the relay gateway.
 *
 * <p>By default the server is James's memory server, composed as bin/msa4james composes it with MSA_STORAGE=memory
 * ({@link MsaServers}); {@link Builder#storage} chooses the persistent one, with its data directory in the working
 * directory's {@code var/}.</p>
 *
 * <p>The shipped XML reads its site settings from {@code ${sys:msa.*}} Java system properties;
 * {@link #start()} sets them (defaults below, overridden by {@link Builder#property}), binds every
 * listener to 127.0.0.1 on a random port, starts James with its working directory in a fresh
 * temporary directory (holding {@code conf/keystore.p12}), finds the bound ports with
 * {@link ListenerPortsProbe} and provisions the {@link Fixtures}. {@link #stop()} stops James and
 * the Wiser and restores the system properties. One James per JVM at a time.
 */
public final class MsaJamesServer {

    public static final String LOOPBACK = "127.0.0.1";
    /**
     * The storage of the servers whose test does not choose one: memory unless this system property says
     * {@code persistent} (e.g. {@code mvn test -Dmsa.test.storage=persistent}, to run the in-process suite on the
     * persistent server).
     */
    public static final String STORAGE_PROPERTY = "msa.test.storage";
    /** The public name the server announces (msa.hostname). */
    public static final String HOSTNAME = "msa.example.test";
    public static final String KEYSTORE_SECRET = "msa4james-test";
    /** Key of the Received-field tokens (msa.trace.key). */
    public static final String TRACE_KEY = "msa4james-test-trace-key-0123456789";
    private static final String KEYSTORE_RESOURCE = "keystore.p12";

    private static final Map<String, String> DEFAULT_PROPERTIES = ImmutableMap.<String, String>builder()
        .put("msa.hostname", HOSTNAME)
        .put("msa.bind", LOOPBACK)
        .put("msa.smtp.port", "0")
        .put("msa.submission.port", "0")
        .put("msa.submissions.port", "0")
        .put("msa.imap.port", "0")
        .put("msa.imaps.port", "0")
        .put("msa.webadmin.port", "0")
        .put("msa.autoconfig.port", "0")
        .put("msa.autoconfigs.port", "0")
        .put("msa.default.domain", DOMAIN)
        .put("msa.keystore.secret", KEYSTORE_SECRET)
        .put("msa.trusted.networks", "")
        .put("msa.postmaster.without.auth", "false")
        .put("msa.domain.expansions", "")
        .put("msa.max.recipients", "100")
        .put("msa.sending.overrides", "")
        .put("msa.dkim.selector", "msa")
        .put("msa.trace.key", TRACE_KEY)
        .put("msa.rewrite.map", "classpath://address-rewrite.map")
        .put("msa.relay.delay.time", "3*5 minutes, 3*30 minutes, 16*6 hours")
        .put("msa.min.free.space", "16MiB")
        .build();

    public static Builder builder() {
        return new Builder();
    }

    /** The storage this run of the suite uses by default: {@value #STORAGE_PROPERTY}, memory when unset. */
    public static Storage testStorage() {
        return Storage.parse(STORAGE_PROPERTY, System.getProperty(STORAGE_PROPERTY, Storage.MEMORY.value()));
    }

    public static final class Builder {
        private final Map<String, String> properties = new LinkedHashMap<>(DEFAULT_PROPERTIES);
        private Storage storage = testStorage();

        private Builder() {
        }

        /** The server to run: James's memory server (the default here, fast) or the persistent one of bin/msa4james. */
        public Builder storage(Storage storage) {
            this.storage = storage;
            return this;
        }

        /** Overrides one {@code msa.*} system property the shipped configuration reads. */
        public Builder property(String name, String value) {
            properties.put(name, value);
            return this;
        }

        public MsaJamesServer build() {
            return new MsaJamesServer(storage, ImmutableMap.copyOf(properties));
        }
    }

    private final Storage storage;
    private final Map<String, String> properties;
    private final Map<String, Optional<String>> previousProperties = new LinkedHashMap<>();
    private Path workingDirectory;
    private Wiser wiser;
    private int wiserPort;
    private GuiceJamesServer james;
    private Map<String, Integer> smtpPorts;
    private int imapStartTlsPort;
    private int imapImplicitTlsPort;

    private MsaJamesServer(Storage storage, Map<String, String> properties) {
        this.storage = storage;
        this.properties = properties;
    }

    public synchronized MsaJamesServer start() throws Exception {
        if (james != null) {
            throw new IllegalStateException("already started");
        }
        try {
            workingDirectory = Files.createTempDirectory("msa4james-it-");
            installKeystore(workingDirectory.resolve("conf"));
            startWiser();
            setSystemProperties();

            GuiceJamesServer server = MsaServers.create(storage,
                    MsaJamesConfiguration.fromClasspath(workingDirectory, workingDirectory.resolve("var")))
                .combineWith(binder -> Multibinder.newSetBinder(binder, GuiceProbe.class)
                    .addBinding().to(ListenerPortsProbe.class));
            james = server;
            server.start();

            ListenerPortsProbe ports = server.getProbe(ListenerPortsProbe.class);
            smtpPorts = ports.smtpPorts();
            imapStartTlsPort = ports.imapStartTlsPort();
            imapImplicitTlsPort = ports.imapImplicitTlsPort();
            provisionFixtures();
            return this;
        } catch (Exception | Error e) {
            stop();
            throw e;
        }
    }

    /** Stops James, then the Wiser, restores the system properties and deletes the working directory. Idempotent. */
    public synchronized void stop() {
        try {
            if (james != null) {
                james.stop();
            }
        } finally {
            james = null;
            try {
                if (wiser != null) {
                    wiser.stop();
                }
            } finally {
                wiser = null;
                restoreSystemProperties();
                deleteWorkingDirectory();
            }
        }
    }

    public boolean isStarted() {
        return james != null && james.isStarted();
    }

    public int smtpPort(Listener listener) {
        Integer port = smtpPorts.get(listener.jmxName());
        if (port == null) {
            throw new IllegalStateException("No SMTP listener named " + listener.jmxName() + " in " + smtpPorts);
        }
        return port;
    }

    public Map<String, Integer> smtpPorts() {
        return smtpPorts;
    }

    public int imapStartTlsPort() {
        return imapStartTlsPort;
    }

    public int imapImplicitTlsPort() {
        return imapImplicitTlsPort;
    }

    public int wiserPort() {
        return wiserPort;
    }

    /** The port webadmin listens on (loopback; msa.webadmin.port 0 lets the system choose it). */
    public int webAdminPort() {
        return james.getProbe(org.apache.james.utils.WebAdminGuiceProbe.class).getWebAdminPort().getValue();
    }

    public DataProbeImpl dataProbe() {
        return james.getProbe(DataProbeImpl.class);
    }

    public <T extends GuiceProbe> T probe(Class<T> probe) {
        return james.getProbe(probe);
    }

    /** A new SMTP session with the given listener (TLS already negotiated on the implicit-TLS one). */
    public SmtpTestClient connect(Listener listener) throws IOException {
        int port = smtpPort(listener);
        return listener.implicitTls() ? SmtpTestClient.connectImplicitTls(LOOPBACK, port) : SmtpTestClient.connect(LOOPBACK, port);
    }

    /** A new IMAP reader logged in as the given user, over STARTTLS. */
    public ImapTestClient imap(String user) throws Exception {
        return ImapTestClient.loginWithStartTls(LOOPBACK, imapStartTlsPort, user, PASSWORD);
    }

    /** A new IMAP reader logged in as the given user, over implicit TLS (imaps). */
    public ImapTestClient imapOverImplicitTls(String user) throws Exception {
        return ImapTestClient.loginWithImplicitTls(LOOPBACK, imapImplicitTlsPort, user, PASSWORD);
    }

    /** What reached the fake remote SMTP server so far. */
    public List<WiserMessage> relayedMessages() {
        synchronized (wiser.getMessages()) {
            return ImmutableList.copyOf(wiser.getMessages());
        }
    }

    public void clearRelayedMessages() {
        synchronized (wiser.getMessages()) {
            wiser.getMessages().clear();
        }
    }

    private void provisionFixtures() throws Exception {
        DataProbeImpl data = dataProbe();
        if (!data.containsDomain(DOMAIN)) {
            data.addDomain(DOMAIN);
        }
        data.fluent()
            .addDomain(SALES_DOMAIN)
            .addUser(ALICE, PASSWORD)
            .addUser(BOB, PASSWORD)
            .addUser(BOB_AT_SALES, PASSWORD);
        String aliasLocalPart = ALICE_ALIAS.substring(0, ALICE_ALIAS.indexOf('@'));
        data.addUserAliasMapping(aliasLocalPart, DOMAIN, ALICE);
    }

    private static void installKeystore(Path confDirectory) throws IOException {
        Files.createDirectories(confDirectory);
        try (InputStream keystore = MsaJamesServer.class.getClassLoader().getResourceAsStream(KEYSTORE_RESOURCE)) {
            if (keystore == null) {
                throw new IllegalStateException(KEYSTORE_RESOURCE + " is not on the test classpath");
            }
            Files.copy(keystore, confDirectory.resolve(KEYSTORE_RESOURCE));
        }
    }

    private void startWiser() throws IOException {
        wiserPort = freePort();
        Wiser fakeRemote = new Wiser(wiserPort);
        fakeRemote.setHostname("remote.example.com");
        fakeRemote.getServer().setBindAddress(InetAddress.getByName(LOOPBACK));
        fakeRemote.start();
        wiser = fakeRemote;
    }

    private void setSystemProperties() {
        Map<String, String> effective = new LinkedHashMap<>(properties);
        effective.putIfAbsent("msa.relay.gateway", LOOPBACK + ":" + wiserPort);
        effective.put("msa.storage", storage.value());
        effective.forEach((name, value) -> {
            previousProperties.putIfAbsent(name, Optional.ofNullable(System.getProperty(name)));
            System.setProperty(name, value);
        });
    }

    private void restoreSystemProperties() {
        previousProperties.forEach((name, previous) -> {
            if (previous.isPresent()) {
                System.setProperty(name, previous.get());
            } else {
                System.clearProperty(name);
            }
        });
        previousProperties.clear();
    }

    private void deleteWorkingDirectory() {
        if (workingDirectory == null) {
            return;
        }
        try (Stream<Path> paths = Files.walk(workingDirectory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete " + workingDirectory, e);
        } finally {
            workingDirectory = null;
        }
    }

    private static int freePort() throws IOException {
        return AssembledHomeProcess.freePort();
    }
}
