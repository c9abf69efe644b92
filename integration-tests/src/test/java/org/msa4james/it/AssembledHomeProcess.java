package org.msa4james.it;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.Map;

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
