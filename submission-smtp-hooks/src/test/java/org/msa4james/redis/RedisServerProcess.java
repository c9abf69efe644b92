package org.msa4james.redis;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;

/**
 * A real redis-server (Debian's {@code redis-server}, on the PATH) for a test: on a free port of 127.0.0.1, without
 * persistence ({@code --save '' --appendonly no}), in its own temporary directory, stopped and deleted by
 * {@link #close()}. It can be stopped and started again on the same port ({@link #stop()}, {@link #start()}), or
 * frozen so that it accepts connections but answers nothing ({@link #freeze()}, {@link #thaw()}), as a hung Redis does.
 * {@link #commands()} is a client of the test's own, to look at the keys.
 */
public final class RedisServerProcess implements AutoCloseable {
    private static final String LOOPBACK = "127.0.0.1";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

    private final Path directory;
    private final int port;
    private final List<String> options;
    private Process process;
    private RedisClient client;
    private StatefulRedisConnection<String, String> connection;

    private RedisServerProcess(Path directory, int port, List<String> options) {
        this.directory = directory;
        this.port = port;
        this.options = List.copyOf(options);
    }

    /**
     * Starts a new redis-server on a free loopback port, with more command-line options if given (e.g.
     * {@code --requirepass}); fails, naming the package, when it is not installed.
     */
    public static RedisServerProcess startNew(String... options) throws IOException {
        Path directory = Files.createTempDirectory("msa4james-redis-");
        RedisServerProcess redis = new RedisServerProcess(directory, freePort(), List.of(options));
        try {
            redis.start();
            return redis;
        } catch (IOException | RuntimeException e) {
            redis.close();
            throw e;
        }
    }

    /** Starts redis-server (again) on this port, and waits until it answers PING. */
    public synchronized void start() throws IOException {
        if (isRunning()) {
            throw new IllegalStateException("redis-server is running already on port " + port);
        }
        List<String> command = new ArrayList<>(List.of(executable().toString(),
            "--port", String.valueOf(port), "--bind", LOOPBACK, "--save", "", "--appendonly", "no",
            "--dir", directory.toString(), "--logfile", directory.resolve("redis.log").toString(), "--daemonize", "no"));
        command.addAll(options);
        process = new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(directory.resolve("redis-process.log").toFile())
            .start();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() - deadline < 0) {
            if (!process.isAlive()) {
                throw new IOException("redis-server exited with code " + process.exitValue() + ": " + log());
            }
            if (answersPing()) {
                return;
            }
            sleep(Duration.ofMillis(50));
        }
        throw new IOException("redis-server did not answer PING on port " + port + " within " + START_TIMEOUT + ": " + log());
    }

    /** Stops redis-server (SIGTERM, then SIGKILL after a bounded wait); its keys are lost (no persistence). */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        thaw();
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        } finally {
            process = null;
        }
    }

    /** Suspends the process (SIGSTOP): connections stay open, nothing is answered, as when Redis hangs. */
    public synchronized void freeze() throws IOException {
        signal("STOP");
    }

    /** Resumes a frozen process (SIGCONT). */
    public synchronized void thaw() {
        try {
            signal("CONT");
        } catch (IOException e) {
            throw new IllegalStateException("cannot resume redis-server", e);
        }
    }

    private void signal(String signal) throws IOException {
        if (process == null) {
            return;
        }
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(process.pid())).inheritIO().start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IOException("kill -" + signal + " " + process.pid() + " failed");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    public int port() {
        return port;
    }

    /** {@code redis://127.0.0.1:<port>/0}. */
    public String url() {
        return "redis://" + LOOPBACK + ":" + port + "/0";
    }

    /** A connection of the test's own (Lettuce), opened at the first call, to read and write keys directly. */
    public synchronized RedisCommands<String, String> commands() {
        if (connection == null) {
            int requirePass = options.indexOf("--requirepass");
            client = RedisClient.create(requirePass < 0 ? url() : url().replace("redis://", "redis://:" + options.get(requirePass + 1) + "@"));
            connection = client.connect();
        }
        return connection.sync();
    }

    /** The server's log, for failure messages. */
    public String log() {
        StringBuilder text = new StringBuilder();
        for (String name : List.of("redis-process.log", "redis.log")) {
            try {
                Path file = directory.resolve(name);
                if (Files.exists(file)) {
                    text.append(Files.readString(file, UTF_8));
                }
            } catch (IOException e) {
                text.append("(cannot read ").append(name).append(": ").append(e).append(')');
            }
        }
        return text.toString();
    }

    /** Stops the server and the test's client, and deletes the directory. */
    @Override
    public synchronized void close() {
        try {
            thaw();
            if (connection != null) {
                connection.close();
                client.shutdown();
            }
        } finally {
            connection = null;
            client = null;
            stop();
            deleteTree(directory);
        }
    }

    private boolean answersPing() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(LOOPBACK, port), 1_000);
            socket.setSoTimeout(1_000);
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] reply = in.readNBytes(7);
            // PONG, or the refusal of a server that requires a password: either way it is up
            return new String(reply, US_ASCII).equals("+PONG\r\n") || new String(reply, US_ASCII).startsWith("-NOAUTH");
        } catch (IOException e) {
            return false;
        }
    }

    /** redis-server from the PATH (or /usr/bin, /usr/sbin). */
    static Path executable() {
        String path = Optional.ofNullable(System.getenv("PATH")).orElse("") + File.pathSeparator + "/usr/bin" + File.pathSeparator + "/usr/sbin";
        return Stream.of(path.split(File.pathSeparator))
            .filter(directory -> !directory.isEmpty())
            .map(directory -> Path.of(directory, "redis-server"))
            .filter(Files::isExecutable)
            .findFirst()
            .orElseThrow(() -> new IllegalStateException("redis-server is not installed: the Redis tests start their own "
                + "(on Debian: apt-get install -y redis-server)"));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
            return socket.getLocalPort();
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            System.err.println("Could not delete " + root + ": " + e);
        }
    }
}
