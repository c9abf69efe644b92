package org.msa4james.load;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.msa4james.it.AssembledHomeProcess;

/**
 * Debian's Postfix (3.7) with OpenDKIM, configured and started by the benchmark in a private directory (see
 * {@link PostfixConfig}) as a {@link Participant}: its own config_directory started with {@code postfix -c <dir> start}
 * and stopped with {@code postfix -c <dir> stop}, a submission service on a free loopback port (STARTTLS required,
 * RSA-2048 self-signed certificate, AUTH PLAIN and LOGIN over Cyrus SASL with a private sasldb holding
 * {@link JamesProcess#USER}), every message signed by {@code opendkim} (a milter on a Unix-domain socket; it runs in
 * the foreground as a child of this JVM) and relayed to the benchmark's next hop. For {@link PostfixVariant#TMPFS} the queue directory is a tmpfs,
 * mounted here and unmounted by {@link #close()}.
 *
 * <p>Nothing is installed: {@link #requireInstalled()} fails with the apt-get command when a package is missing.
 * Postfix needs root (the benchmark runs as root); its daemons run as the user postfix and OpenDKIM as opendkim, so the
 * files each reads are made readable by that user only. {@link #cpuTime()} counts Postfix's master and all its
 * children (smtpd, cleanup, qmgr, smtp, tlsmgr, anvil, trivial-rewrite, proxymap, postlogd, ..., those that have exited
 * through the master's cutime and cstime) plus opendkim.</p>
 */
final class PostfixProcess implements Participant {
    /** The packages the Postfix variants need, as one command (the benchmark installs nothing). */
    static final String APT_GET = "DEBIAN_FRONTEND=noninteractive apt-get install -y -q postfix opendkim opendkim-tools sasl2-bin libsasl2-modules";
    /** What must be there, and the package that brings it. */
    static final List<String[]> REQUIRED_PROGRAMS = List.of(
        new String[] {"postfix", "postfix"},
        new String[] {"postconf", "postfix"},
        new String[] {"opendkim", "opendkim"},
        new String[] {"opendkim-genkey", "opendkim-tools"},
        new String[] {"saslpasswd2", "sasl2-bin"},
        new String[] {"openssl", "openssl (comes with postfix)"});
    /** Cyrus SASL plugins: PLAIN (libsasl2-modules) and the sasldb auxprop (libsasl2-modules-db, with libsasl2-2). */
    static final List<String[]> REQUIRED_SASL_PLUGINS = List.of(
        new String[] {"libplain.so", "libsasl2-modules"},
        new String[] {"libsasldb.so", "libsasl2-modules-db"});
    private static final List<Path> PROGRAM_DIRECTORIES = List.of(Path.of("/usr/sbin"), Path.of("/usr/bin"), Path.of("/sbin"), Path.of("/bin"));
    private static final List<Path> SASL_PLUGIN_DIRECTORIES = List.of(Path.of("/usr/lib/x86_64-linux-gnu/sasl2"),
        Path.of("/usr/lib/aarch64-linux-gnu/sasl2"), Path.of("/usr/lib/sasl2"), Path.of("/usr/lib64/sasl2"));
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    private static final int LOG_TAIL_LINES = 40;
    private static final String TMPFS_SIZE = "1g";

    private final PostfixVariant variant;
    private final PostfixConfig config;
    private final String password = "load-" + UUID.randomUUID();
    private Process opendkim;
    private long masterPid = -1;
    private boolean postfixStarted;
    private boolean tmpfsMounted;
    private boolean closed;

    /** Thrown when the tmpfs for {@link PostfixVariant#TMPFS} cannot be mounted: the variant is skipped, not the run. */
    static final class TmpfsUnavailableException extends IOException {
        private static final long serialVersionUID = 1L;

        TmpfsUnavailableException(String message) {
            super(message);
        }
    }

    private PostfixProcess(PostfixVariant variant, PostfixConfig config) {
        this.variant = variant;
        this.config = config;
    }

    /**
     * Checks the packages, writes the configuration in a new directory under {@code parent}, generates the TLS
     * certificate, the sasldb and the DKIM key, mounts the tmpfs if the variant wants one, starts opendkim and Postfix
     * and waits (bounded) for the submission port's 220. On any failure everything started is stopped and the
     * directory deleted; the message has the end of the logs. {@code register} gets the instance before anything is
     * started, so that a shutdown hook can stop what a start cut short has left running.
     */
    static PostfixProcess start(PostfixVariant variant, Path parent, int nextHopPort, Consumer<? super PostfixProcess> register)
        throws IOException {
        requireInstalled();
        requireRoot();
        Files.createDirectories(parent);
        Path root = Files.createTempDirectory(parent.toAbsolutePath(), variant.variantName() + "-");
        int submissionPort = JamesProcess.freePorts(1)[0];
        Path socket = PostfixConfig.defaultMilterSocket(root);
        if (!PostfixConfig.fitsUnixSocket(socket)) {
            socket = Files.createTempDirectory("msa4james-milter-").resolve("opendkim.sock");
        }
        PostfixProcess postfix = new PostfixProcess(variant, new PostfixConfig(root, JamesProcess.USER, submissionPort, socket, nextHopPort));
        register.accept(postfix);
        try {
            postfix.launch();
            return postfix;
        } catch (TmpfsUnavailableException e) {
            postfix.close();
            throw e;
        } catch (IOException | RuntimeException e) {
            String tail = postfix.outputTail();
            postfix.close();
            throw new IOException("variant " + variant.variantName() + " did not start: " + e.getMessage()
                + "\n---- end of its logs ----\n" + tail, e);
        }
    }

    /** Fails, naming the missing program or plugin and the apt-get command, when a package is not installed. */
    static void requireInstalled() {
        List<String> missing = new ArrayList<>();
        for (String[] program : REQUIRED_PROGRAMS) {
            if (findProgram(program[0], PROGRAM_DIRECTORIES).isEmpty()) {
                missing.add(program[0] + " (package " + program[1] + ")");
            }
        }
        for (String[] plugin : REQUIRED_SASL_PLUGINS) {
            if (!saslPluginPresent(plugin[0])) {
                missing.add("Cyrus SASL plugin " + plugin[0] + " (package " + plugin[1] + ")");
            }
        }
        for (String user : List.of("postfix", "opendkim")) {
            if (!userExists(user)) {
                missing.add("user " + user + " (created by package " + user + ")");
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException(missingMessage(missing));
        }
    }

    static String missingMessage(List<String> missing) {
        return "the Postfix variants need Debian's postfix, opendkim, opendkim-tools, sasl2-bin and libsasl2-modules; "
            + "missing: " + String.join(", ", missing) + ". Install them (as root) with: " + APT_GET
            + "   (the benchmark installs nothing; or leave the postfix-* variants out of --variants)";
    }

    /** The first {@code dir/name} that is an executable file, in the order of the directories. */
    static Optional<Path> findProgram(String name, List<Path> directories) {
        return directories.stream().map(directory -> directory.resolve(name)).filter(Files::isExecutable).filter(Files::isRegularFile).findFirst();
    }

    private static Path program(String name) {
        return findProgram(name, PROGRAM_DIRECTORIES).orElseThrow(() -> new IllegalStateException(missingMessage(List.of(name))));
    }

    private static boolean saslPluginPresent(String prefix) {
        for (Path directory : SASL_PLUGIN_DIRECTORIES) {
            if (Files.isDirectory(directory)) {
                try (Stream<Path> files = Files.list(directory)) {
                    if (files.anyMatch(file -> file.getFileName().toString().startsWith(prefix))) {
                        return true;
                    }
                } catch (IOException e) {
                    // not readable: look on
                }
            }
        }
        return false;
    }

    private static boolean userExists(String user) {
        try {
            return Files.readAllLines(Path.of("/etc/passwd"), UTF_8).stream().anyMatch(line -> line.startsWith(user + ":"));
        } catch (IOException e) {
            return false;
        }
    }

    private static void requireRoot() {
        String user = ProcessHandle.current().info().user().orElse("");
        if (!user.equals("root")) {
            throw new IllegalStateException("the Postfix variants must run as root (postfix start, the queue's owners, mount), "
                + "not as '" + user + "'");
        }
    }

    private void launch() throws IOException {
        UserPrincipalLookupService users = config.root().getFileSystem().getUserPrincipalLookupService();
        UserPrincipal postfixUser = users.lookupPrincipalByName("postfix");
        GroupPrincipal postfixGroup = users.lookupPrincipalByGroupName("postfix");
        UserPrincipal opendkimUser = users.lookupPrincipalByName("opendkim");
        GroupPrincipal opendkimGroup = users.lookupPrincipalByGroupName("opendkim");

        // Postfix's daemons (user postfix) walk these paths: the root is searchable, the rest private to each reader.
        chmod(config.root(), "rwxr-xr-x");
        directory(config.configDirectory(), "rwxr-xr-x");
        directory(config.saslConfigDirectory(), "rwxr-xr-x");
        directory(config.queueDirectory(), "rwxr-xr-x");
        directory(config.dataDirectory(), "rwx------");
        Files.setOwner(config.dataDirectory(), postfixUser);
        directory(config.tlsDirectory(), "rwxr-x---");
        Files.getFileAttributeView(config.tlsDirectory(), PosixFileAttributeView.class).setGroup(postfixGroup);
        directory(config.sasldbDirectory(), "rwxr-x---");
        Files.getFileAttributeView(config.sasldbDirectory(), PosixFileAttributeView.class).setGroup(postfixGroup);
        directory(config.dkimDirectory(), "rwx------");
        // the socket's directory: opendkim creates the socket there, Postfix's smtpd (group postfix) connects
        Path socketDirectory = config.milterSocket().getParent();
        directory(socketDirectory, "rwxr-x---");
        Files.setOwner(socketDirectory, opendkimUser);
        Files.getFileAttributeView(socketDirectory, PosixFileAttributeView.class).setGroup(postfixGroup);

        if (variant.queueOnTmpfs()) {
            mountTmpfs();
        }

        run(List.of(program("openssl").toString(), "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "30",
            "-subj", "/CN=" + PostfixConfig.HOST_NAME, "-keyout", config.privateKey().toString(), "-out", config.certificate().toString()), null);
        readableByGroup(config.privateKey(), postfixGroup);
        readableByGroup(config.certificate(), postfixGroup);

        run(List.of(program("saslpasswd2").toString(), "-p", "-c", "-f", config.sasldb().toString(), "-u", config.domain(),
            config.localPart()), password);
        readableByGroup(config.sasldb(), postfixGroup);

        run(List.of(program("opendkim-genkey").toString(), "-b", "2048", "-d", config.domain(), "-s", PostfixConfig.SELECTOR,
            "-D", config.dkimDirectory().toString()), null);

        write(config.configDirectory().resolve("main.cf"), config.mainCf());
        write(config.configDirectory().resolve("master.cf"), config.masterCf());
        write(config.saslConfigDirectory().resolve("smtpd.conf"), config.smtpdConf());
        write(config.opendkimConfFile(), config.opendkimConf());
        // OpenDKIM refuses a key that others may read; it reads it as root, then runs as opendkim
        try (Stream<Path> files = Files.list(config.dkimDirectory())) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Files.setOwner(file, opendkimUser);
                Files.getFileAttributeView(file, PosixFileAttributeView.class).setGroup(opendkimGroup);
            }
        }
        Files.setOwner(config.dkimDirectory(), opendkimUser);

        startOpendkim();
        startPostfix();
    }

    /** Fails when {@link #close()} has run (a shutdown during the start): nothing more may be started. */
    private synchronized void requireOpen() throws IOException {
        if (closed) {
            throw new IOException("stopped while starting");
        }
    }

    private void mountTmpfs() throws IOException {
        Path queue = config.queueDirectory();
        CommandResult mount;
        synchronized (this) {
            requireOpen();
            // set first: close() unmounts (and a failed umount only prints) if the shutdown comes in between
            tmpfsMounted = true;
        }
        try {
            mount = command(List.of("mount", "-t", "tmpfs", "-o", "size=" + TMPFS_SIZE + ",mode=0755", "msa4james-postfix-queue",
                queue.toString()), null);
        } catch (IOException e) {
            tmpfsMounted = false;
            throw new TmpfsUnavailableException("cannot run mount to put the queue on a tmpfs at " + queue + ": " + e.getMessage());
        }
        if (mount.exitCode != 0) {
            tmpfsMounted = false;
            throw new TmpfsUnavailableException("cannot mount a tmpfs at " + queue + " (mount exited with " + mount.exitCode + ": "
                + mount.output.trim() + "); mounting needs root with CAP_SYS_ADMIN (a container may not allow it)");
        }
        synchronized (this) {
            if (closed) {
                unmountTmpfs();
                throw new IOException("stopped while starting");
            }
        }
        if (!isTmpfs(Files.readString(Path.of("/proc/self/mounts"), US_ASCII), queue)) {
            throw new TmpfsUnavailableException("mount said yes, but " + queue + " is not a tmpfs in /proc/self/mounts");
        }
    }

    /** Whether {@code /proc/self/mounts} (one mount a line: source, mount point, type, ...) has a tmpfs at that point. */
    static boolean isTmpfs(String mounts, Path mountPoint) {
        for (String line : mounts.split("\n")) {
            String[] fields = line.trim().split("\\s+");
            // spaces in a mount point are written \040
            if (fields.length >= 3 && fields[1].replace("\\040", " ").equals(mountPoint.toString()) && fields[2].equals("tmpfs")) {
                return true;
            }
        }
        return false;
    }

    private void startOpendkim() throws IOException {
        synchronized (this) {
            requireOpen();
            opendkim = new ProcessBuilder(program("opendkim").toString(), "-f", "-x", config.opendkimConfFile().toString())
                .redirectErrorStream(true)
                .redirectOutput(config.opendkimLog().toFile())
                .start();
        }
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!opendkim.isAlive()) {
                throw new IOException("opendkim exited with code " + opendkim.exitValue());
            }
            // opendkim listens right after it creates the socket; Postfix starts after this, and requireSigning checks it
            if (Files.exists(config.milterSocket())) {
                return;
            }
            sleep(Duration.ofMillis(100));
        }
        throw new IOException("opendkim did not listen on " + config.milterSocket() + " within " + START_TIMEOUT);
    }

    private void startPostfix() throws IOException {
        synchronized (this) {
            requireOpen();
            // set first: close() runs postfix stop if the shutdown comes while postfix start runs
            postfixStarted = true;
        }
        CommandResult start = command(List.of(program("postfix").toString(), "-c", config.configDirectory().toString(), "start"), null);
        synchronized (this) {
            if (closed) {
                stopPostfix();
                throw new IOException("stopped while starting");
            }
        }
        if (start.exitCode != 0) {
            throw new IOException("postfix -c " + config.configDirectory() + " start exited with " + start.exitCode + ": " + start.output.trim());
        }
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        String last = "no master.pid";
        while (Instant.now().isBefore(deadline)) {
            if (masterPid < 0) {
                masterPid = readMasterPid().orElse(-1L);
            }
            if (masterPid > 0) {
                if (!isRunning(masterPid)) {
                    throw new IOException("Postfix's master (pid " + masterPid + ") exited");
                }
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress(JamesProcess.HOST, config.submissionPort()), 1_000);
                    socket.setSoTimeout(5_000);
                    String greeting = new BufferedReader(new InputStreamReader(socket.getInputStream(), US_ASCII)).readLine();
                    if (greeting != null && greeting.startsWith("220 ")) {
                        OutputStream out = socket.getOutputStream();
                        out.write("QUIT\r\n".getBytes(US_ASCII));
                        out.flush();
                        return;
                    }
                    last = "greeting " + greeting;
                } catch (IOException e) {
                    last = e.toString();
                }
            }
            sleep(Duration.ofMillis(200));
        }
        throw new IOException("Postfix's submission port " + config.submissionPort() + " did not answer 220 within " + START_TIMEOUT
            + " (last: " + last + ")");
    }

    private Optional<Long> readMasterPid() {
        try {
            String text = Files.readString(config.masterPidFile(), US_ASCII).trim();
            return text.matches("\\d+") ? Optional.of(Long.parseLong(text)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * Sends one message through this Postfix and fails unless it reached the next hop with a DKIM-Signature field: the
     * benchmark compares signing servers only.
     */
    void requireSigning(NextHopServer nextHop) throws IOException {
        nextHop.reset();
        LoadSpec spec = LoadSpec.builder()
            .host(host()).port(submissionPort()).tls(TlsMode.STARTTLS)
            .credentials(user(), password()).sender(user()).recipient(SideBySideMain.REMOTE_RECIPIENT)
            .connections(1).totalMessages(1).messageSize(Scenario.KIB).timeLimit(Duration.ofMinutes(1))
            .build();
        LoadResult result = LoadGenerator.run(spec, nextHop);
        int signed = nextHop.signed();
        nextHop.reset();
        if (result.accepted() != 1 || result.arrived() != 1) {
            throw new IOException(name() + ": the test message was not accepted and relayed (" + result.toJson() + ")\n" + outputTail());
        }
        if (signed != 1) {
            throw new IOException(name() + ": the test message reached the next hop without a DKIM-Signature field: OpenDKIM did not "
                + "sign it (see " + config.opendkimLog() + " and " + config.postfixLog() + ")\n" + outputTail());
        }
    }

    @Override
    public String name() {
        return variant.variantName();
    }

    PostfixVariant variant() {
        return variant;
    }

    @Override
    public String host() {
        return JamesProcess.HOST;
    }

    @Override
    public int submissionPort() {
        return config.submissionPort();
    }

    @Override
    public String user() {
        return JamesProcess.USER;
    }

    @Override
    public String password() {
        return password;
    }

    @Override
    public synchronized boolean isAlive() {
        return !closed && masterPid > 0 && isRunning(masterPid) && opendkim != null && opendkim.isAlive();
    }

    /** Postfix's master and every process under it (the daemons it forked), plus opendkim. */
    @Override
    public Duration cpuTime() throws IOException {
        return ProcessCpu.treeTime(List.of(masterPid, opendkim.pid()));
    }

    @Override
    public String outputTail() {
        return "-- " + config.postfixLog() + "\n" + tail(config.postfixLog()) + "\n-- " + config.opendkimLog() + "\n" + tail(config.opendkimLog());
    }

    private static String tail(Path file) {
        try {
            if (!Files.exists(file)) {
                return "(none)";
            }
            List<String> lines = Files.readAllLines(file, UTF_8);
            return lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()).stream().collect(Collectors.joining("\n"));
        } catch (IOException | RuntimeException e) {
            return "(cannot read " + file + ": " + e + ")";
        }
    }

    /**
     * {@code postfix stop} and a bounded wait for the master to exit (then SIGKILL to the master and its children),
     * opendkim stopped the same way, the tmpfs unmounted, the directory deleted. Idempotent; errors are printed, not
     * thrown, so that the rest is still stopped.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            stopPostfix();
        } finally {
            try {
                stopOpendkim();
            } finally {
                boolean unmounted = unmountTmpfs();
                Path socketDirectory = config.milterSocket().getParent();
                if (!socketDirectory.startsWith(config.root())) {
                    AssembledHomeProcess.deleteTree(socketDirectory);
                }
                if (unmounted) {
                    AssembledHomeProcess.deleteTree(config.root());
                } else {
                    System.err.println("left " + config.root() + " in place: the tmpfs at " + config.queueDirectory() + " is still mounted");
                }
            }
        }
    }

    private void stopPostfix() {
        if (!postfixStarted) {
            return;
        }
        if (masterPid < 0) {
            masterPid = readMasterPid().orElse(-1L);
        }
        try {
            CommandResult stop = command(List.of(program("postfix").toString(), "-c", config.configDirectory().toString(), "stop"), null);
            if (stop.exitCode != 0 && masterPid > 0 && isRunning(masterPid)) {
                System.err.println("postfix -c " + config.configDirectory() + " stop exited with " + stop.exitCode + ": " + stop.output.trim());
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("could not run postfix stop: " + e);
        }
        if (masterPid > 0) {
            Optional<ProcessHandle> master = ProcessHandle.of(masterPid);
            if (master.isPresent() && !awaitExit(master.get(), STOP_TIMEOUT)) {
                System.err.println("Postfix's master (pid " + masterPid + ") still runs " + STOP_TIMEOUT.toSeconds() + " s after postfix stop: killing it and its children");
                master.get().descendants().forEach(ProcessHandle::destroyForcibly);
                master.get().destroyForcibly();
                awaitExit(master.get(), Duration.ofSeconds(10));
            }
        }
    }

    private void stopOpendkim() {
        if (opendkim == null) {
            return;
        }
        try {
            AssembledHomeProcess.stop(opendkim);
        } catch (InterruptedException e) {
            opendkim.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** Unmounts the tmpfs if it was mounted (lazily when busy); whether nothing is mounted there any more. */
    private boolean unmountTmpfs() {
        if (!tmpfsMounted) {
            return true;
        }
        for (List<String> umount : List.of(List.of("umount", config.queueDirectory().toString()),
            List.of("umount", "-l", config.queueDirectory().toString()))) {
            try {
                CommandResult result = command(umount, null);
                if (result.exitCode == 0) {
                    tmpfsMounted = false;
                    return true;
                }
                System.err.println(String.join(" ", umount) + " exited with " + result.exitCode + ": " + result.output.trim());
            } catch (IOException e) {
                System.err.println("could not run " + String.join(" ", umount) + ": " + e);
            }
        }
        return false;
    }

    private static boolean awaitExit(ProcessHandle process, Duration timeout) {
        try {
            process.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException | ExecutionException e) {
            return !process.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }

    private static boolean isRunning(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    @Override
    public String toString() {
        return name() + " (master pid " + masterPid + ", opendkim pid " + (opendkim == null ? "-" : String.valueOf(opendkim.pid()))
            + ", submission port " + config.submissionPort() + ", in " + config.root() + ")";
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private static final class CommandResult {
        final int exitCode;
        final String output;

        CommandResult(int exitCode, String output) {
            this.exitCode = exitCode;
            this.output = output;
        }
    }

    /**
     * Runs a command to its end (bounded), with {@code input} as its standard input if given, and returns its exit code
     * and output (standard output and error together, through a temporary file so that no pipe can fill up).
     */
    private static CommandResult command(List<String> command, String input) throws IOException {
        Path output = Files.createTempFile("msa4james-postfix-command-", ".out");
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
            try {
                try (OutputStream stdin = process.getOutputStream()) {
                    if (input != null) {
                        stdin.write(input.getBytes(UTF_8));
                    }
                }
                if (!process.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new IOException(String.join(" ", command) + " did not finish within " + COMMAND_TIMEOUT);
                }
                return new CommandResult(process.exitValue(), Files.readString(output, UTF_8));
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while running " + String.join(" ", command), e);
            }
        } finally {
            Files.deleteIfExists(output);
        }
    }

    /** As {@link #command}, failing with the output when the exit code is not 0. */
    private static void run(List<String> command, String input) throws IOException {
        CommandResult result = command(command, input);
        if (result.exitCode != 0) {
            throw new IOException(command.get(0) + " exited with " + result.exitCode + ": " + result.output.trim());
        }
    }

    private static void directory(Path directory, String permissions) throws IOException {
        Files.createDirectories(directory);
        chmod(directory, permissions);
    }

    private static void chmod(Path path, String permissions) throws IOException {
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(permissions));
    }

    /** Owner root, group {@code group}, mode 0640. */
    private static void readableByGroup(Path file, GroupPrincipal group) throws IOException {
        Files.getFileAttributeView(file, PosixFileAttributeView.class).setGroup(group);
        chmod(file, "rw-r-----");
    }

    private static void write(Path file, String text) throws IOException {
        Files.writeString(file, text, UTF_8);
        chmod(file, "rw-r--r--");
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
