package org.msa4james.dropin;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.msa4james.it.AssembledHomeProcess;

/**
 * Settings of bin/msa4james checked by the script, the Redis ones (MSA_REDIS_URL, MSA_REDIS_TIMEOUT,
 * MSA_REDIS_KEY_PREFIX) and MSA_SIGNATURES: a bad value stops the script before James starts, with exit code 2 and a
 * message naming the variable; a URL the script lets through but Java refuses stops James at start, naming the
 * setting. The password of the URL is never printed. And the garbage collector the script chooses.
 */
class StartScriptSettingsTest {
    private static final String SECRET = "top-secret-redis-password";

    private static Path temporaryDirectory;
    private static Path home;

    @BeforeAll
    static void copyTheAssembledHome() throws IOException {
        Path assembled = Path.of(System.getProperty("msa.home", "../james-conf/target/msa4james")).toAbsolutePath().normalize();
        temporaryDirectory = Files.createTempDirectory("msa4james-script-settings-");
        home = temporaryDirectory.resolve("msa4james");
        AssembledHomeProcess.copyTree(assembled, home);
    }

    @AfterAll
    static void deleteTheCopy() {
        AssembledHomeProcess.deleteTree(temporaryDirectory);
    }

    @Test
    void aUrlThatIsNotRedisShouldStopTheScriptWithoutShowingThePassword() throws Exception {
        Run run = run(Map.of("MSA_REDIS_URL", "http://msa:" + SECRET + "@redis.example.test:6379/0"));

        assertThat(run.exitCode).isEqualTo(2);
        assertThat(run.output).isEqualTo("msa4james: MSA_REDIS_URL must be redis://[[user]:password@]host[:port][/database] "
            + "(rediss:// for TLS), not 'http://****@redis.example.test:6379/0'\n");
    }

    @Test
    void aBadTimeoutShouldStopTheScript() throws Exception {
        Run run = run(Map.of("MSA_REDIS_URL", "redis://127.0.0.1:6379/0", "MSA_REDIS_TIMEOUT", "1m"));

        assertThat(run.exitCode).isEqualTo(2);
        assertThat(run.output).isEqualTo("msa4james: MSA_REDIS_TIMEOUT must be a duration in ms or s such as 500ms or 2s, not '1m'\n");
    }

    @Test
    void aTimeoutOutOfBoundsShouldStopTheScript() throws Exception {
        Run run = run(Map.of("MSA_REDIS_TIMEOUT", "20s"));

        assertThat(run.exitCode).isEqualTo(2);
        assertThat(run.output).isEqualTo("msa4james: MSA_REDIS_TIMEOUT must be from 10ms to 10s, not '20s'\n");
    }

    @Test
    void aKeyPrefixWithASpaceShouldStopTheScript() throws Exception {
        Run run = run(Map.of("MSA_REDIS_KEY_PREFIX", "site b:"));

        assertThat(run.exitCode).isEqualTo(2);
        assertThat(run.output).isEqualTo("msa4james: MSA_REDIS_KEY_PREFIX must be 1 to 64 printable ASCII characters without "
            + "spaces, not 'site b:'\n");
    }

    @Test
    void anRsaSigningOtherThanNativeOrJdkShouldStopTheScript() throws Exception {
        Run run = run(Map.of("MSA_SIGNATURES", "openssl"));

        assertThat(run.exitCode).isEqualTo(2);
        assertThat(run.output).isEqualTo("msa4james: MSA_SIGNATURES must be native or jdk, not 'openssl'\n");
    }

    @Test
    void aUrlThatJavaRefusesShouldStopJamesAtStartNamingTheSetting() throws Exception {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("MSA_REDIS_URL", "redis://:" + SECRET + "@127.0.0.1:6379/zero");
        environment.put("MSA_BIND", "127.0.0.1");
        environment.put("MSA_HOSTNAME", "mail.example.test");
        environment.put("MSA_JAVA_OPTS", "-Xmx384m");
        for (String port : new String[] {"MSA_SMTP_PORT", "MSA_SUBMISSION_PORT", "MSA_SUBMISSIONS_PORT", "MSA_IMAP_PORT",
            "MSA_IMAPS_PORT", "MSA_WEBADMIN_PORT"}) {
            environment.put(port, String.valueOf(freePort()));
        }

        Run run = run(environment);

        assertThat(run.exitCode).as(run.output).isNotZero();
        assertThat(run.output)
            .contains("msa.redis.url (MSA_REDIS_URL) has path '/zero'; the path is a database number, e.g. /0: "
                + "'redis://****@127.0.0.1:6379/zero'")
            .doesNotContain("JAMES server started")
            .doesNotContain(SECRET);
        assertThat(Files.readString(home.resolve("var/msa4james.properties"), UTF_8))
            .contains("msa.redis.url=redis://:" + SECRET + "@127.0.0.1:6379/zero");
    }

    // The collector: GNU nproc counts at most OMP_NUM_THREADS processors when it is set, which stands for a machine of
    // that size here. The JAVA of these runs prints the options the server's JVM would start with, and runs every other
    // Java command of the script (the DKIM key tool) with the real JVM.

    @Test
    void onTwoProcessorsTheScriptShouldChooseTheSerialCollectorAndSayIt() throws Exception {
        Run run = run(Map.of("JAVA", jvmPrintingItsOptions().toString(), "OMP_NUM_THREADS", "2"));

        assertThat(run.exitCode).as(run.output).isZero();
        assertThat(serverJvmOptions(run)).containsSequence("-Djames.message.memory.threshold=512KiB", "-XX:+UseSerialGC",
            "-Dworking.directory=" + home);
        assertThat(run.output).contains("garbage collector SerialGC for 2 processor(s)");
    }

    @Test
    void onMoreProcessorsTheScriptShouldLeaveTheCollectorToTheJvm() throws Exception {
        Run run = run(Map.of("JAVA", jvmPrintingItsOptions().toString(), "OMP_NUM_THREADS", "3"));

        assertThat(run.exitCode).as(run.output).isZero();
        assertThat(serverJvmOptions(run)).noneMatch(option -> option.matches("-XX:\\+Use\\w+GC"));
        assertThat(run.output).contains("garbage collector JVM's choice");
    }

    @Test
    void aCollectorInTheJavaOptionsShouldBeTheOnlyOne() throws Exception {
        Run run = run(Map.of("JAVA", jvmPrintingItsOptions().toString(), "OMP_NUM_THREADS", "2", "MSA_JAVA_OPTS", "-Xmx256m -XX:+UseG1GC"));

        assertThat(run.exitCode).as(run.output).isZero();
        assertThat(serverJvmOptions(run).stream().filter(option -> option.matches("-XX:\\+Use\\w+GC")))
            .containsExactly("-XX:+UseG1GC");
        assertThat(serverJvmOptions(run)).contains("-Xmx256m");
        assertThat(run.output).contains("garbage collector G1GC from JAVA_OPTS/MSA_JAVA_OPTS");
    }

    /**
     * A java command that, started with the server's main class, prints its options one per line after "jvm option: "
     * and ends; any other command goes to the real java. keytool beside it is the real one.
     */
    private static Path jvmPrintingItsOptions() throws IOException {
        Path bin = temporaryDirectory.resolve("printing-jdk/bin");
        Path java = bin.resolve("java");
        if (Files.exists(java)) {
            return java;
        }
        Files.createDirectories(bin);
        Path realBin = Path.of(System.getProperty("java.home"), "bin");
        Files.createSymbolicLink(bin.resolve("keytool"), realBin.resolve("keytool"));
        Files.writeString(java, "#!/usr/bin/env bash\n"
            + "if [[ \" $* \" == *' org.msa4james.server.MsaJamesServerMain '* ]]; then\n"
            + "    for option in \"$@\"; do echo \"jvm option: $option\"; done\n"
            + "    exit 0\n"
            + "fi\n"
            + "exec '" + realBin.resolve("java") + "' \"$@\"\n", UTF_8);
        java.toFile().setExecutable(true);
        return java;
    }

    private static java.util.List<String> serverJvmOptions(Run run) {
        return run.output.lines()
            .filter(line -> line.startsWith("jvm option: "))
            .map(line -> line.substring("jvm option: ".length()))
            .collect(java.util.stream.Collectors.toList());
    }

    /** Runs bin/msa4james to its end (bounded) and returns its exit code and output. */
    private static Run run(Map<String, String> environment) throws Exception {
        Path output = Files.createTempFile(temporaryDirectory, "output-", ".log");
        Process process = AssembledHomeProcess.builder(home, temporaryDirectory, output, environment).start();
        if (!process.waitFor(3, TimeUnit.MINUTES)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("bin/msa4james did not end within 3 minutes:\n" + Files.readString(output, UTF_8));
        }
        return new Run(process.exitValue(), Files.readString(output, UTF_8));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }

    private static final class Run {
        private final int exitCode;
        private final String output;

        private Run(int exitCode, String output) {
            this.exitCode = exitCode;
            this.output = output;
        }
    }
}
