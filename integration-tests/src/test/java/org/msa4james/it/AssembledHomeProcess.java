package org.msa4james.it;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * What the tests and benchmarks that run the assembled James home as a separate process share (dropin's
 * AssembledHomeTest, load's JamesProcess): copying the home to a temporary directory and deleting that copy, the
 * process of its bin/msa4james with a clean MSA_* environment, and provisioning a user over webadmin.
 */
public final class AssembledHomeProcess {
    private AssembledHomeProcess() {
    }

    /**
     * The process builder of {@code home}/bin/msa4james, run in {@code workingDirectory} with its output (stderr
     * included) to {@code output}: no MSA_*, JAVA_OPTS or JAVA inherited, MSA_HOME the copy, JAVA the java of this
     * JVM, then {@code msaEnvironment}.
     */
    public static ProcessBuilder builder(Path home, Path workingDirectory, Path output, Map<String, String> msaEnvironment) {
        ProcessBuilder builder = new ProcessBuilder(home.resolve("bin/msa4james").toString())
            .directory(workingDirectory.toFile())
            .redirectErrorStream(true)
            .redirectOutput(output.toFile());
        Map<String, String> environment = builder.environment();
        environment.keySet().removeIf(name -> name.startsWith("MSA_") || name.equals("JAVA_OPTS") || name.equals("JAVA"));
        environment.put("MSA_HOME", home.toString());
        environment.put("JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
        environment.putAll(msaEnvironment);
        return builder;
    }

    /** PUT /users/{user} with its password over webadmin at {@code host:webadminPort}; 204 when created. */
    public static HttpResponse<String> putUser(HttpClient client, String host, int webadminPort, String user, String password)
        throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + host + ":" + webadminPort + "/users/" + user))
            .header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString("{\"password\":\"" + password + "\"}"))
            .timeout(Duration.ofSeconds(10))
            .build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** Stops the process with SIGTERM, as a service manager does, and kills it if it is still there after 30 s. */
    public static void stop(Process process) throws InterruptedException {
        if (process == null) {
            return;
        }
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** What the process wrote to {@code output} so far; empty before the file exists. */
    public static String output(Path output) throws IOException {
        return output != null && Files.exists(output) ? Files.readString(output, StandardCharsets.UTF_8) : "";
    }

    /** Prints the last {@code lines} lines of {@code output} to the standard error, to tell why a test failed. */
    public static void printOutputTail(Path output, int lines) {
        System.err.println("---- last " + lines + " lines of the James process output (" + output + ") ----");
        System.err.println(outputTail(output, lines));
        System.err.println("---- end of the James process output ----");
    }

    /** The last {@code lines} lines of {@code output}, for a failure message; what went wrong when it is unreadable. */
    public static String outputTail(Path output, int lines) {
        try {
            List<String> all = output(output).lines().collect(Collectors.toList());
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(could not read the James process output " + output + ": " + e + ")";
        }
    }

    /** Ports this JVM has handed out already: the system may choose a port again once its socket is closed. */
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    /**
     * A port of 127.0.0.1 free now (the system chose it) and never handed out before by this JVM, for a listener of
     * the process to bind: the several listeners of one home never get the same port (bin/msa4james refuses that).
     */
    public static int freePort() throws IOException {
        for (int attempt = 0; attempt < 100; attempt++) {
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
                if (HANDED_OUT.add(socket.getLocalPort())) {
                    return socket.getLocalPort();
                }
            }
        }
        throw new IOException("the system offered only ports already handed out, 100 times");
    }

    /**
     * A copy of the assembled James home (the system property {@code msa.home}, or ../james-conf/target/msa4james) in
     * {@code directory}/msa4james, so that what a test generates or changes there stays out of target/.
     */
    public static Path copyOfAssembledHome(Path directory) throws IOException {
        Path assembled = Path.of(System.getProperty("msa.home", "../james-conf/target/msa4james")).toAbsolutePath().normalize();
        if (!Files.isExecutable(assembled.resolve("bin/msa4james"))) {
            throw new IllegalStateException("No assembled James home in " + assembled + " (build it with: mvn package -pl james-conf -am)");
        }
        Path home = directory.resolve("msa4james");
        copyTree(assembled, home);
        return home;
    }

    /** Copies the tree {@code source} to {@code target}, file attributes (the executable bit of bin/) included. */
    public static void copyTree(Path source, Path target) throws IOException {
        Files.walkFileTree(source, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path directory, BasicFileAttributes attributes) throws IOException {
                Files.createDirectories(target.resolve(source.relativize(directory).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                Files.copy(file, target.resolve(source.relativize(file).toString()), StandardCopyOption.COPY_ATTRIBUTES);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** Deletes the tree {@code root}, if there is one; a failure is printed, not thrown. */
    public static void deleteTree(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path directory, IOException e) throws IOException {
                    Files.delete(directory);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            System.err.println("Could not delete " + root + ": " + e);
        }
    }
}
