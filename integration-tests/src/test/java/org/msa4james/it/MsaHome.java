package org.msa4james.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A copy of the assembled James home (james-conf/target/msa4james) run as a separate process through its
 * bin/msa4james, as an administrator runs it, and started, stopped, killed and started again on the same data and the
 * same loopback ports: what the tests of a restart need.
 *
 * <p>The environment starts from the tests' defaults (every listener on 127.0.0.1 on a port chosen once, client
 * self-configuration off, the public
 * name {@value #PUBLIC_NAME}, the default domain {@value #DOMAIN}, remote mail to {@link #nextHopPort()}), and
 * {@link #environment(String, String)} adds or replaces a variable for the next starts. Each start writes its own
 * output file. {@link #close()} kills the process if it still runs and deletes the copy.</p>
 */
public final class MsaHome implements AutoCloseable {
    public static final String LOOPBACK = "127.0.0.1";
    public static final String PUBLIC_NAME = "mail.example.test";
    public static final String DOMAIN = "example.test";
    public static final String STARTED = "JAMES server started";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

    private final Path directory;
    private final Path home;
    private final Map<String, String> environment = new LinkedHashMap<>();
    private final int smtpPort;
    private final int submissionPort;
    private final int submissionsPort;
    private final int imapPort;
    private final int imapsPort;
    private final int webadminPort;
    private final int nextHopPort;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private Process process;
    private Path output;
    private int starts;

    private MsaHome(Path directory) throws IOException {
        this.directory = directory;
        this.home = directory.resolve("msa4james");
        AssembledHomeProcess.copyTree(assembledHome(), home);
        smtpPort = freePort();
        submissionPort = freePort();
        submissionsPort = freePort();
        imapPort = freePort();
        imapsPort = freePort();
        webadminPort = freePort();
        nextHopPort = freePort();
        environment.put("MSA_JAVA_OPTS", "-Xmx384m -XX:+UseSerialGC");
        environment.put("MSA_BIND", LOOPBACK);
        environment.put("MSA_HOSTNAME", PUBLIC_NAME);
        environment.put("MSA_DEFAULT_DOMAIN", DOMAIN);
        environment.put("MSA_SMTP_PORT", String.valueOf(smtpPort));
        environment.put("MSA_SUBMISSION_PORT", String.valueOf(submissionPort));
        environment.put("MSA_SUBMISSIONS_PORT", String.valueOf(submissionsPort));
        environment.put("MSA_IMAP_PORT", String.valueOf(imapPort));
        environment.put("MSA_IMAPS_PORT", String.valueOf(imapsPort));
        environment.put("MSA_WEBADMIN_PORT", String.valueOf(webadminPort));
        environment.put("MSA_RELAY_GATEWAY", LOOPBACK + ":" + nextHopPort);
        // client self-configuration off: its default ports (80, 443) are not the tests' to take
        environment.put("MSA_AUTOCONFIG_PORT", "0");
        environment.put("MSA_AUTOCONFIGS_PORT", "0");
    }

    /** A fresh copy of the assembled home in a new temporary directory; nothing started yet. */
    public static MsaHome copy() throws IOException {
        Path directory = Files.createTempDirectory("msa4james-home-");
        try {
            return new MsaHome(directory);
        } catch (IOException | RuntimeException e) {
            AssembledHomeProcess.deleteTree(directory);
            throw e;
        }
    }

    /** The assembled home named by the system property msa.home (set by the pom), or ../james-conf/target/msa4james. */
    public static Path assembledHome() {
        Path assembled = Path.of(System.getProperty("msa.home", "../james-conf/target/msa4james")).toAbsolutePath().normalize();
        if (!Files.isExecutable(assembled.resolve("bin/msa4james"))) {
            throw new IllegalStateException("no assembled James home at " + assembled + "; build it with: mvn -B -q -Pdist package");
        }
        return assembled;
    }

    /** Sets (or, with null, removes) a variable of bin/msa4james's environment for the next starts. */
    public MsaHome environment(String name, String value) {
        if (value == null) {
            environment.remove(name);
        } else {
            environment.put(name, value);
        }
        return this;
    }

    /** Starts bin/msa4james and waits until James says it started; fails with the end of its output otherwise. */
    public MsaHome start() throws IOException {
        launch();
        try {
            await("James started (" + output + ")").atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(250))
                .until(() -> !process.isAlive() || log().contains(STARTED));
        } catch (RuntimeException e) {
            throw new IllegalStateException("James did not start:\n" + tail(80), e);
        }
        if (!process.isAlive()) {
            throw new IllegalStateException("James exited with status " + process.exitValue() + ":\n" + tail(80));
        }
        return this;
    }

    /** Starts bin/msa4james expecting it to stop by itself; returns its exit status (output in {@link #log()}). */
    public int startExpectingExit() throws IOException, InterruptedException {
        launch();
        if (!process.waitFor(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new IllegalStateException("James did not exit:\n" + tail(80));
        }
        return process.exitValue();
    }

    private void launch() throws IOException {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("already running");
        }
        starts++;
        output = directory.resolve("james-process-" + starts + ".log");
        process = AssembledHomeProcess.builder(home, directory, output, environment).start();
    }

    /** SIGKILL: no shutdown hook, nothing flushed, as a crash or a power cut of the process. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            throw new IllegalStateException("the killed James process did not end");
        }
    }

    /** SIGTERM, as Ctrl-C or a service manager stop, and waits for the process to end. */
    public void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new IllegalStateException("James did not stop within " + STOP_TIMEOUT + " of SIGTERM:\n" + tail(40));
        }
    }

    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    /** Everything the current (or last) start wrote to its console. */
    public String log() {
        try {
            return Files.exists(output) ? Files.readString(output, UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The last lines of {@link #log()}, to explain a failure. */
    public String tail(int lines) {
        List<String> all = List.of(log().split("\n"));
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    public Path home() {
        return home;
    }

    /** The data directory of the default configuration (MSA_DATA_DIR unset): the home's var/. */
    public Path dataDirectory() {
        return Path.of(environment.getOrDefault("MSA_DATA_DIR", home.resolve("var").toString()));
    }

    public int smtpPort() {
        return smtpPort;
    }

    public int submissionPort() {
        return submissionPort;
    }

    public int submissionsPort() {
        return submissionsPort;
    }

    public int imapPort() {
        return imapPort;
    }

    public int imapsPort() {
        return imapsPort;
    }

    public int webadminPort() {
        return webadminPort;
    }

    /** The relay gateway (MSA_RELAY_GATEWAY): where the home sends remote mail; nothing listens unless a test does. */
    public int nextHopPort() {
        return nextHopPort;
    }

    /** A session on port 587 after STARTTLS and AUTH PLAIN. */
    public SmtpTestClient submission(String user, String password) throws IOException {
        return SmtpTestClient.connect(LOOPBACK, submissionPort).authenticated(user, password);
    }

    /** A webadmin request; {@code body} may be null. */
    public HttpResponse<String> webadmin(String method, String path, String body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + LOOPBACK + ":" + webadminPort + path))
            .timeout(Duration.ofSeconds(30));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A webadmin request that must answer {@code status}; returns the body. */
    public String webadmin(String method, String path, String body, int status) throws IOException, InterruptedException {
        HttpResponse<String> response = webadmin(method, path, body);
        if (response.statusCode() != status) {
            throw new IllegalStateException(method + " " + path + " answered " + response.statusCode() + " " + response.body()
                + " instead of " + status);
        }
        return response.body();
    }

    public void createUser(String user, String password) throws IOException, InterruptedException {
        webadmin("PUT", "/users/" + user, "{\"password\":\"" + password + "\"}", 204);
    }

    /** Delivers now every mail of the queue {@code queue} that waits for a later attempt (webadmin). */
    public void deliverDelayedMailNow(String queue) throws IOException, InterruptedException {
        webadmin("PATCH", "/mailQueues/" + queue + "/mails?delayed=true", "{\"delayed\": false}", 204);
    }

    /** Kills the process if it still runs, and deletes the copy of the home with its data. */
    @Override
    public void close() throws InterruptedException {
        if (isRunning()) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        AssembledHomeProcess.deleteTree(directory);
    }

    public static int freePort() throws IOException {
        return AssembledHomeProcess.freePort();
    }
}
