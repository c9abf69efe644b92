package org.msa4james.load;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.msa4james.it.AssembledHomeProcess;

/**
 * One James of a {@link JamesVariant}, started from a copy of the assembled home with its bin/msa4james as a separate
 * process, listening on free loopback ports and relaying every remote mail to the given next hop. The copy (keystore,
 * keys, logs) is deleted on {@link #close()}.
 */
public final class JamesProcess implements Participant {
    public static final String HOST = "127.0.0.1";
    public static final String DOMAIN = "example.test";
    public static final String USER = "alice@example.test";
    public static final String DEFAULT_JAVA_OPTS = "-Xms512m -Xmx512m";

    private static final String PUBLIC_NAME = "mail.example.test";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(180);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    /** How long webadmin may take after the 587 greeting (James binds it later; a busy machine takes long). */
    private static final Duration WEBADMIN_TIMEOUT = Duration.ofSeconds(90);
    private static final int LOG_TAIL_LINES = 60;
    /** Submission, submissions, webadmin, MX, IMAP, IMAPS. */
    private static final int LISTENERS = 6;
    /** The benchmark user sends thousands of messages an hour: lift the shipped per-user hourly sending limit for it. */
    private static final String SENDING_OVERRIDES = USER + "=100000000/100000000";

    private final JamesVariant variant;
    private final Path temporaryDirectory;
    private final Path output;
    private final String password = "load-" + UUID.randomUUID();
    private final int submissionPort;
    private final int submissionsPort;
    private final int webadminPort;
    private final int smtpPort;
    private final int imapPort;
    private final int imapsPort;
    private Process process;

    private JamesProcess(JamesVariant variant, Path temporaryDirectory, int[] ports) {
        this.variant = variant;
        this.temporaryDirectory = temporaryDirectory;
        this.output = temporaryDirectory.resolve("james-process.log");
        this.submissionPort = ports[0];
        this.submissionsPort = ports[1];
        this.webadminPort = ports[2];
        this.smtpPort = ports[3];
        this.imapPort = ports[4];
        this.imapsPort = ports[5];
    }

    /**
     * The assembled home named by the system property msa.home (set by the integration-tests pom), or
     * ../james-conf/target/msa4james; fails with the command that builds it when it is missing.
     */
    public static Path assembledHome() {
        Path home = Path.of(System.getProperty("msa.home", "../james-conf/target/msa4james")).toAbsolutePath().normalize();
        if (!Files.isExecutable(home.resolve("bin/msa4james"))) {
            throw new IllegalStateException("no assembled James home at " + home + " (no executable bin/msa4james). Build it from the project root "
                + "with: mvn -B -q -Pdist package   (or run the benchmark with: mvn -B -q -Pload -pl integration-tests -am verify)");
        }
        return home;
    }

    /**
     * Copies the assembled home, applies the variant to its conf/, starts it, waits (bounded) for the 587 greeting and
     * creates {@link #USER}. On any failure the process is stopped, the copy deleted, and the end of its output is in
     * the exception message.
     */
    public static JamesProcess start(JamesVariant variant, Path assembledHome, int nextHopPort, String javaOpts) throws IOException {
        return start(variant, assembledHome, nextHopPort, javaOpts, Map.of());
    }

    /** As {@link #start(JamesVariant, Path, int, String)}, with more MSA_* variables, which win over the defaults here. */
    public static JamesProcess start(JamesVariant variant, Path assembledHome, int nextHopPort, String javaOpts,
                                     Map<String, String> moreEnvironment) throws IOException {
        int[] ports = freePorts(LISTENERS);
        Path temporaryDirectory = Files.createTempDirectory("msa4james-load-" + variant.variantName() + "-");
        JamesProcess james = new JamesProcess(variant, temporaryDirectory, ports);
        try {
            james.launch(assembledHome, nextHopPort, javaOpts, moreEnvironment);
            return james;
        } catch (IOException | RuntimeException e) {
            String tail = james.outputTail();
            james.close();
            throw new IOException("variant " + variant.variantName() + " did not start: " + e.getMessage()
                + "\n---- end of its output ----\n" + tail, e);
        }
    }

    private void launch(Path assembledHome, int nextHopPort, String javaOpts, Map<String, String> moreEnvironment) throws IOException {
        Path home = temporaryDirectory.resolve("msa4james");
        AssembledHomeProcess.copyTree(assembledHome, home);
        variant.transform(home.resolve("conf"));

        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("MSA_JAVA_OPTS", variant.javaOpts(javaOpts));
        environment.put("MSA_BIND", HOST);
        environment.put("MSA_SMTP_PORT", String.valueOf(smtpPort));
        environment.put("MSA_SUBMISSION_PORT", String.valueOf(submissionPort));
        environment.put("MSA_SUBMISSIONS_PORT", String.valueOf(submissionsPort));
        environment.put("MSA_IMAP_PORT", String.valueOf(imapPort));
        environment.put("MSA_IMAPS_PORT", String.valueOf(imapsPort));
        environment.put("MSA_WEBADMIN_PORT", String.valueOf(webadminPort));
        environment.put("MSA_AUTOCONFIG_PORT", "0");
        environment.put("MSA_AUTOCONFIGS_PORT", "0");
        environment.put("MSA_RELAY_GATEWAY", HOST + ":" + nextHopPort);
        environment.put("MSA_DEFAULT_DOMAIN", DOMAIN);
        environment.put("MSA_HOSTNAME", PUBLIC_NAME);
        environment.put("MSA_SENDING_OVERRIDES", SENDING_OVERRIDES);
        environment.putAll(variant.environment());
        environment.putAll(moreEnvironment);
        ProcessBuilder builder = AssembledHomeProcess.builder(home, temporaryDirectory, output, environment);
        process = builder.start();

        awaitGreeting();
        addUser(USER, password);
    }

    /** Polls port 587 until it answers 220, the process dies, or {@link #START_TIMEOUT} passes. */
    private void awaitGreeting() throws IOException {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        String last = "no connection";
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IOException("the James process exited with code " + process.exitValue());
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(HOST, submissionPort), 1_000);
                socket.setSoTimeout(5_000);
                String greeting = new BufferedReader(new InputStreamReader(socket.getInputStream(), US_ASCII)).readLine();
                if (greeting != null && greeting.startsWith("220 ")) {
                    return;
                }
                last = "greeting " + greeting;
            } catch (IOException e) {
                last = e.toString();
            }
            sleep(Duration.ofMillis(500));
        }
        throw new IOException("port " + submissionPort + " did not answer 220 within " + START_TIMEOUT + " (last: " + last + ")");
    }

    /** PUT /users/{user} over webadmin, retried for at most {@link #WEBADMIN_TIMEOUT} while webadmin is still starting. */
    public void addUser(String user, String userPassword) throws IOException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        String last = "";
        Instant deadline = Instant.now().plus(WEBADMIN_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            try {
                HttpResponse<String> response = AssembledHomeProcess.putUser(client, HOST, webadminPort, user, userPassword);
                if (response.statusCode() == 204) {
                    return;
                }
                last = response.statusCode() + " " + response.body();
            } catch (IOException e) {
                last = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while creating " + user, e);
            }
            sleep(Duration.ofMillis(500));
        }
        throw new IOException("PUT /users/" + user + " failed: " + last);
    }

    public JamesVariant variant() {
        return variant;
    }

    @Override
    public String name() {
        return variant.variantName();
    }

    @Override
    public String host() {
        return HOST;
    }

    /** The STARTTLS submission port (587 role). */
    @Override
    public int submissionPort() {
        return submissionPort;
    }

    /** The implicit TLS submission port (465 role). */
    public int submissionsPort() {
        return submissionsPort;
    }

    /** The webadmin port, on {@link #HOST}. */
    public int webadminPort() {
        return webadminPort;
    }

    @Override
    public String user() {
        return USER;
    }

    @Override
    public String password() {
        return password;
    }

    /** Process id of the James JVM (bin/msa4james replaces itself with java). */
    public long pid() {
        return process.pid();
    }

    @Override
    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** CPU time of the James JVM (and of any process it started), from /proc: see {@link ProcessCpu}. */
    @Override
    public Duration cpuTime() throws IOException {
        return ProcessCpu.treeTime(List.of(pid()));
    }

    /** The process output file, kept until {@link #close()}. */
    public Path output() {
        return output;
    }

    /** The last lines of the process output, for error messages. */
    @Override
    public String outputTail() {
        try {
            if (!Files.exists(output)) {
                return "(no output)";
            }
            List<String> lines = Files.readAllLines(output, UTF_8);
            return lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()).stream().collect(Collectors.joining("\n"));
        } catch (IOException e) {
            return "(cannot read " + output + ": " + e + ")";
        }
    }

    /** A tool of the JDK that runs this JVM (java, jcmd, jfr). */
    static Path javaExecutable(String tool) {
        return Path.of(System.getProperty("java.home"), "bin", tool);
    }

    /** SIGTERM, a bounded wait, then a forced stop; then deletes the copied home. Idempotent. */
    @Override
    public synchronized void close() {
        try {
            if (process != null && process.isAlive()) {
                process.destroy();
                if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        } finally {
            AssembledHomeProcess.deleteTree(temporaryDirectory);
        }
    }

    @Override
    public String toString() {
        return name() + " (pid " + (process == null ? "-" : String.valueOf(process.pid())) + ", 587-role port " + submissionPort + ")";
    }

    // ------------------------------------------------------------------------------------------------ helpers

    /** Distinct free loopback ports: all are held open together, so none is handed out twice. */
    static int[] freePorts(int count) throws IOException {
        List<ServerSocket> sockets = new ArrayList<>(count);
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST));
                sockets.add(socket);
                ports[i] = socket.getLocalPort();
            }
            return ports;
        } finally {
            for (ServerSocket socket : sockets) {
                socket.close();
            }
        }
    }

    private static void sleep(Duration duration) throws IOException {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
