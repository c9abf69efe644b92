package org.msa4james.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.msa4james.abuse.MutableClock;

class StorageCheckTest {
    /** More free space than any disk has: 1 EiB. */
    private static final long MORE_THAN_ANY_DISK = ByteSize.parse("1000000TiB");

    @TempDir
    Path temporary;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-04T10:00:00Z"));

    @Test
    void aWritableDirectoryWithEnoughSpaceShouldBeAvailable() {
        StorageCheck check = new StorageCheck(temporary, 0, clock);

        StorageState state = check.state();

        assertThat(state.kind()).isEqualTo(StorageState.Kind.AVAILABLE);
        assertThat(state.description()).endsWith(" free");
    }

    @Test
    void lessFreeSpaceThanTheMinimumShouldBeLowSpace() {
        StorageCheck check = new StorageCheck(temporary, MORE_THAN_ANY_DISK, clock);

        StorageState state = check.state();

        assertThat(state.kind()).isEqualTo(StorageState.Kind.LOW_SPACE);
        assertThat(state.description()).matches("[0-9]+ (bytes|KiB|MiB|GiB) free, less than the minimum of 1024000000 GiB");
    }

    @Test
    void aMissingDirectoryShouldBeUnavailable() {
        StorageState state = new StorageCheck(temporary.resolve("gone"), 0, clock).state();

        assertThat(state).hasToString("UNAVAILABLE: does not exist");
    }

    @Test
    void aFileInsteadOfADirectoryShouldBeUnavailable() throws IOException {
        Path file = Files.writeString(temporary.resolve("file"), "not a directory");

        assertThat(new StorageCheck(file, 0, clock).state()).hasToString("UNAVAILABLE: is not a directory");
    }

    @Test
    void theStateShouldBeKeptForOneSecondThenMeasuredAgain() throws IOException {
        Path directory = Files.createDirectory(temporary.resolve("data"));
        StorageCheck check = new StorageCheck(directory, 0, clock);
        assertThat(check.state().isAvailable()).isTrue();

        Files.delete(directory);
        clock.advance(Duration.ofMillis(999));
        assertThat(check.state().isAvailable()).isTrue();

        clock.advance(Duration.ofMillis(1));
        assertThat(check.state()).hasToString("UNAVAILABLE: does not exist");
    }

    @Test
    void refreshShouldMeasureWhateverTheCacheHolds() throws IOException {
        Path directory = Files.createDirectory(temporary.resolve("data"));
        StorageCheck check = new StorageCheck(directory, 0, clock);
        assertThat(check.state().isAvailable()).isTrue();

        Files.delete(directory);

        assertThat(check.refresh()).hasToString("UNAVAILABLE: does not exist");
        assertThat(check.state()).hasToString("UNAVAILABLE: does not exist");
    }

    @Test
    void aNegativeMinimumShouldBeRefused() {
        assertThatThrownBy(() -> new StorageCheck(temporary, -1, clock))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("minimumFreeBytes must not be negative");
    }
}
