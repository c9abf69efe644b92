package org.msa4james.diagnostics;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileDiagnosticsStoreTest {
    private static final Instant T0 = Instant.parse("2026-12-04T10:00:00.123Z");
    private static final DiagnosticKey ALICE_DATE = new DiagnosticKey("alice@example.test", "Thunderbird/115", Defect.MISSING_DATE);
    private static final DiagnosticKey BOB_ID = new DiagnosticKey("bob@example.test", "printer \"X\"\tv2", Defect.INVALID_MESSAGE_ID);

    @TempDir
    Path directory;

    private FileDiagnosticsStore store;

    @AfterEach
    void close() {
        if (store != null) {
            store.close();
        }
    }

    private Path file() {
        return directory.resolve("diagnostics/entries.jsonl");
    }

    @Test
    void entriesShouldBeReadBackByTheNextStoreWithCountsAndTimes() {
        store = new FileDiagnosticsStore(file(), 100);
        store.record(ALICE_DATE, T0);
        store.record(ALICE_DATE, T0.plusSeconds(60));
        store.record(BOB_ID, T0.plusSeconds(5));
        store.close();

        store = new FileDiagnosticsStore(file(), 100);

        assertThat(store.list(DiagnosticFilter.ALL)).containsExactly(
            new DiagnosticEntry(ALICE_DATE, 2, T0, T0.plusSeconds(60)),
            new DiagnosticEntry(BOB_ID, 1, T0.plusSeconds(5), T0.plusSeconds(5)));
    }

    @Test
    void aChangeShouldReachTheFileWithinTheWriteDelayWithoutClosing() {
        store = new FileDiagnosticsStore(file(), 100);

        store.record(ALICE_DATE, T0);

        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> Files.exists(file()));
        assertThat(new FileDiagnosticsStore(file(), 100).list(DiagnosticFilter.ALL))
            .containsExactly(new DiagnosticEntry(ALICE_DATE, 1, T0, T0));
    }

    @Test
    void theFileShouldHoldOneJsonObjectPerLine() throws IOException {
        store = new FileDiagnosticsStore(file(), 100);
        store.record(ALICE_DATE, T0);
        store.close();

        assertThat(Files.readAllLines(file(), UTF_8)).containsExactly("{\"subject\":\"alice@example.test\","
            + "\"clientSoftware\":\"Thunderbird/115\",\"defect\":\"missing-date\",\"count\":1,"
            + "\"firstSeen\":\"2026-12-04T10:00:00.123Z\",\"lastSeen\":\"2026-12-04T10:00:00.123Z\"}");
    }

    @Test
    void resetShouldEmptyTheFileAtOnce() throws IOException {
        store = new FileDiagnosticsStore(file(), 100);
        store.record(ALICE_DATE, T0);
        store.close();
        store = new FileDiagnosticsStore(file(), 100);

        store.reset();

        assertThat(Files.readAllLines(file(), UTF_8)).isEmpty();
        assertThat(new FileDiagnosticsStore(file(), 100).list(DiagnosticFilter.ALL)).isEmpty();
    }

    @Test
    void theBoundShouldStillEvictTheEntryRecordedLeastRecently() {
        store = new FileDiagnosticsStore(file(), 2);
        store.record(ALICE_DATE, T0);
        store.record(BOB_ID, T0.plusSeconds(1));
        store.record(ALICE_DATE, T0.plusSeconds(2));
        DiagnosticKey third = new DiagnosticKey("carol@example.test", "mutt", Defect.SENDER_ADDED);
        store.record(third, T0.plusSeconds(3));
        store.close();

        store = new FileDiagnosticsStore(file(), 2);

        assertThat(store.list(DiagnosticFilter.ALL)).extracting(DiagnosticEntry::key).containsExactly(ALICE_DATE, third);
    }

    @Test
    void aLineThatCannotBeReadShouldBeSkippedAndTheOthersKept() throws IOException {
        Files.createDirectories(file().getParent());
        Files.write(file(), List.of(
            "{\"subject\":\"alice@example.test\",\"clientSoftware\":\"tb\",\"defect\":\"missing-date\",\"count\":3,"
                + "\"firstSeen\":\"2026-12-04T10:00:00Z\",\"lastSeen\":\"2026-12-04T11:00:00Z\"}",
            "{\"subject\":\"x\",\"clientSoftware\":\"y\",\"defect\":\"no-such-defect\",\"count\":1,"
                + "\"firstSeen\":\"2026-12-04T10:00:00Z\",\"lastSeen\":\"2026-12-04T10:00:00Z\"}",
            "not json at all"), UTF_8);

        store = new FileDiagnosticsStore(file(), 100);

        assertThat(store.list(DiagnosticFilter.ALL)).containsExactly(new DiagnosticEntry(
            new DiagnosticKey("alice@example.test", "tb", Defect.MISSING_DATE), 3,
            Instant.parse("2026-12-04T10:00:00Z"), Instant.parse("2026-12-04T11:00:00Z")));
    }

    @Test
    void aFileThatCannotBeReadShouldBeSetAsideAndTheStoreStartEmpty() throws IOException {
        Files.createDirectories(file());

        store = new FileDiagnosticsStore(file(), 100);

        assertThat(store.list(DiagnosticFilter.ALL)).isEmpty();
        try (Stream<Path> files = Files.list(file().getParent())) {
            assertThat(files.map(path -> path.getFileName().toString()))
                .singleElement().asString().startsWith("entries.jsonl.unreadable-");
        }
    }
}
