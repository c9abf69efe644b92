package org.msa4james.autoconfig;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.msa4james.it.AssembledHomeProcess;

/**
 * bin/msa4james's handling of MSA_AUTOCONFIG_PORT and MSA_AUTOCONFIGS_PORT: listed by --help, checked like the other
 * ports but with 0 meaning off, and part of the check that no two listeners share a port. Each bad value stops the
 * script with exit status 2 before Java starts, so nothing of the assembled home is written.
 */
class AutoconfigPortsScriptTest {
    private static final Path ASSEMBLED = Path.of(System.getProperty("msa.home", "../james-conf/target/msa4james"))
        .toAbsolutePath().normalize();

    @TempDir
    Path directory;

    private Result run(Map<String, String> environment, String... arguments) throws Exception {
        Path output = directory.resolve("output.txt");
        ProcessBuilder builder = AssembledHomeProcess.builder(ASSEMBLED, directory, output, environment);
        builder.command().addAll(List.of(arguments));
        Process process = builder.start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("bin/msa4james ended").isTrue();
        return new Result(process.exitValue(), Files.readString(output, UTF_8));
    }

    @Test
    void helpShouldListBothVariablesWithTheirDefaults() throws Exception {
        Result help = run(Map.of(), "--help");

        assertThat(help.status).isZero();
        assertThat(help.output)
            .contains("  MSA_AUTOCONFIG_PORT          HTTP port where mail clients fetch their settings (autoconfig, Autodiscover), 0 = off [80]\n")
            .contains("  MSA_AUTOCONFIGS_PORT         the same over HTTPS, with the listeners' certificate, 0 = off [443]\n");
    }

    @Test
    void aBadPortShouldStopTheScriptNamingTheVariable() throws Exception {
        Result http = run(Map.of("MSA_AUTOCONFIG_PORT", "eighty"));
        Result https = run(Map.of("MSA_AUTOCONFIGS_PORT", "65536"));

        assertThat(http.status).isEqualTo(2);
        assertThat(http.output).isEqualTo("msa4james: MSA_AUTOCONFIG_PORT must be a port number from 1 to 65535, or 0 for off, not 'eighty'\n");
        assertThat(https.status).isEqualTo(2);
        assertThat(https.output).isEqualTo("msa4james: MSA_AUTOCONFIGS_PORT must be a port number from 1 to 65535, or 0 for off, not '65536'\n");
    }

    @Test
    void aPortSharedWithAnotherListenerShouldStopTheScriptButZeroTwiceShouldNot() throws Exception {
        Result shared = run(Map.of("MSA_AUTOCONFIGS_PORT", "993"));
        // JAVA is checked right after the ports: its message shows that the two zeros passed the check of shared ports
        Result bothOff = run(Map.of("MSA_AUTOCONFIG_PORT", "0", "MSA_AUTOCONFIGS_PORT", "0", "JAVA", "/nonexistent/java"));

        assertThat(shared.status).isEqualTo(2);
        assertThat(shared.output).isEqualTo("msa4james: MSA_*_PORT: port(s) 993 used by two listeners\n");
        assertThat(bothOff.status).isEqualTo(2);
        assertThat(bothOff.output).isEqualTo("msa4james: JAVA: '/nonexistent/java' not found (install Java 11 or later, or set JAVA)\n");
    }

    private static final class Result {
        final int status;
        final String output;

        Result(int status, String output) {
            this.status = status;
            this.output = output;
        }
    }
}
