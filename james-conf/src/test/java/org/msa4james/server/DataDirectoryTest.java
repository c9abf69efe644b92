package org.msa4james.server;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.msa4james.server.DataDirectory.DataDirectoryException;

class DataDirectoryTest {
    private static final String SETTING = "msa.data.dir (MSA_DATA_DIR)";

    @TempDir
    Path temporary;

    @Test
    void aMissingDirectoryShouldBeCreatedWithItsParents() throws Exception {
        Path data = temporary.resolve("a/b/var");

        try (DataDirectory directory = DataDirectory.open(data, SETTING)) {
            assertThat(directory.path()).isEqualTo(data.toAbsolutePath().normalize()).isDirectory();
            assertThat(directory.lockFile()).isRegularFile();
            assertThat(Files.readString(directory.lockFile(), US_ASCII)).isEqualTo(ProcessHandle.current().pid() + "\n");
        }
    }

    @Test
    void theWriteProbeShouldLeaveNothingBehind() throws Exception {
        try (DataDirectory directory = DataDirectory.open(temporary, SETTING)) {
            try (var files = Files.list(directory.path())) {
                assertThat(files.map(path -> path.getFileName().toString())).containsExactly(DataDirectory.LOCK_FILE);
            }
        }
    }

    @Test
    void aFileShouldBeRefusedNamingTheSettingAndThePath() throws IOException {
        Path file = Files.writeString(temporary.resolve("var"), "a file");

        assertThatThrownBy(() -> DataDirectory.open(file, SETTING))
            .isInstanceOf(DataDirectoryException.class)
            .hasMessage(SETTING + ": the data directory " + file + " is not a directory");
    }

    @Test
    void aDirectoryThatCannotBeCreatedShouldBeRefusedWithTheReason() throws IOException {
        Path file = Files.writeString(temporary.resolve("file"), "a file");
        Path data = file.resolve("var");

        assertThatThrownBy(() -> DataDirectory.open(data, SETTING))
            .isInstanceOf(DataDirectoryException.class)
            .hasMessageStartingWith(SETTING + ": cannot create the data directory " + data + ": ");
    }

    @Nested
    class Lock {
        @Test
        void aSecondOpenInTheSameProcessShouldBeRefusedNamingTheLock() throws Exception {
            try (DataDirectory first = DataDirectory.open(temporary, SETTING)) {
                assertThatThrownBy(() -> DataDirectory.open(temporary, SETTING))
                    .isInstanceOf(DataDirectoryException.class)
                    .hasMessage(SETTING + ": the data directory " + temporary + " is in use by another server in this Java "
                        + "process (the lock " + first.lockFile() + " is held)");
            }
        }

        @Test
        void aDirectoryLockedByAnotherProcessShouldBeRefusedNamingTheLockAndTheProcess() throws Exception {
            Process holder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), LockHolder.class.getName(), temporary.toString())
                .redirectErrorStream(true)
                .start();
            try (BufferedReader output = new BufferedReader(new InputStreamReader(holder.getInputStream(), US_ASCII))) {
                assertThat(output.readLine()).isEqualTo(LockHolder.LOCKED);

                assertThatThrownBy(() -> DataDirectory.open(temporary, SETTING))
                    .isInstanceOf(DataDirectoryException.class)
                    .hasMessage(SETTING + ": the data directory " + temporary + " is in use by another msa4james, process "
                        + holder.pid() + " (the lock " + temporary.resolve(DataDirectory.LOCK_FILE) + " is held); stop it, "
                        + "or give this one another data directory");
            } finally {
                holder.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }

        @Test
        void theLockShouldBeFreeAgainOnceTheHolderIsKilled() throws Exception {
            Process holder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), LockHolder.class.getName(), temporary.toString())
                .redirectErrorStream(true)
                .start();
            try (BufferedReader output = new BufferedReader(new InputStreamReader(holder.getInputStream(), US_ASCII))) {
                assertThat(output.readLine()).isEqualTo(LockHolder.LOCKED);
            }
            holder.destroyForcibly();
            assertThat(holder.waitFor(10, TimeUnit.SECONDS)).isTrue();

            try (DataDirectory directory = DataDirectory.open(temporary, SETTING)) {
                assertThat(Files.readString(directory.lockFile(), US_ASCII)).isEqualTo(ProcessHandle.current().pid() + "\n");
            }
        }

        @Test
        void closeShouldReleaseTheLock() throws Exception {
            DataDirectory.open(temporary, SETTING).close();

            DataDirectory.open(temporary, SETTING).close();
        }
    }
}
