package org.msa4james.diagnostics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * What every {@link DiagnosticsStore} does: counts with first and last seen, the order of the list, filters, reset,
 * concurrent records, and the bound (the entry recorded least recently evicted first). Implemented by the test of each
 * store, in memory and in Redis.
 */
public interface DiagnosticsStoreContract {
    Instant T0 = Instant.parse("2026-11-28T10:00:00Z");
    DiagnosticKey ALICE_DATE = new DiagnosticKey("alice@example.test", "Thunderbird/115", Defect.MISSING_DATE);
    DiagnosticKey BOB_ID = new DiagnosticKey("bob@example.test", "Printer 3000", Defect.MISSING_MESSAGE_ID);

    /** An empty store that keeps at most {@code maximumEntries} entries. */
    DiagnosticsStore store(int maximumEntries);

    default DiagnosticsStore store() {
        return store(InMemoryDiagnosticsStore.DEFAULT_MAXIMUM_ENTRIES);
    }

    @Test
    default void recordShouldCountAndKeepFirstAndLastSeen() {
        DiagnosticsStore store = store();

        assertThat(store.record(ALICE_DATE, T0)).isTrue();
        assertThat(store.record(ALICE_DATE, T0.plusSeconds(60))).isFalse();
        assertThat(store.record(ALICE_DATE, T0.plusSeconds(120))).isFalse();

        assertThat(store.list(DiagnosticFilter.ALL)).containsExactly(new DiagnosticEntry(ALICE_DATE, 3, T0, T0.plusSeconds(120)));
    }

    @Test
    default void anEarlierRecordShouldNotMoveLastSeenBack() {
        DiagnosticsStore store = store();
        store.record(ALICE_DATE, T0.plusSeconds(60));

        store.record(ALICE_DATE, T0);

        assertThat(store.list(DiagnosticFilter.ALL))
            .containsExactly(new DiagnosticEntry(ALICE_DATE, 2, T0.plusSeconds(60), T0.plusSeconds(60)));
    }

    @Test
    default void listShouldBeOrderedBySubjectClientAndDefect() {
        DiagnosticsStore store = store();
        DiagnosticKey aliceId = new DiagnosticKey("alice@example.test", "Thunderbird/115", Defect.MISSING_MESSAGE_ID);
        store.record(BOB_ID, T0);
        store.record(aliceId, T0);
        store.record(ALICE_DATE, T0);

        assertThat(store.list(DiagnosticFilter.ALL)).extracting(DiagnosticEntry::key).containsExactly(ALICE_DATE, aliceId, BOB_ID);
    }

    @Test
    default void resetShouldForgetEverything() {
        DiagnosticsStore store = store();
        store.record(ALICE_DATE, T0);

        store.reset();

        assertThat(store.list(DiagnosticFilter.ALL)).isEmpty();
        assertThat(store.record(ALICE_DATE, T0)).isTrue();
    }

    @Test
    default void concurrentRecordsShouldAllBeCounted() throws Exception {
        DiagnosticsStore store = store();
        ExecutorService executor = Executors.newFixedThreadPool(4);
        for (int i = 0; i < 4000; i++) {
            executor.execute(() -> store.record(ALICE_DATE, T0));
        }
        executor.shutdown();
        assertThat(executor.awaitTermination(60, TimeUnit.SECONDS)).isTrue();

        assertThat(store.list(DiagnosticFilter.ALL)).extracting(DiagnosticEntry::count).containsExactly(4000L);
    }

    @Test
    default void filtersShouldSelectBySubjectDefectAndLastSeen() {
        DiagnosticsStore store = store();
        store.record(ALICE_DATE, T0);
        store.record(BOB_ID, T0.plusSeconds(3600));

        assertThat(store.list(new DiagnosticFilter(Optional.of("bob@example.test"), Optional.empty(), Optional.empty())))
            .extracting(DiagnosticEntry::key).containsExactly(BOB_ID);
        assertThat(store.list(new DiagnosticFilter(Optional.empty(), Optional.of(Defect.MISSING_DATE), Optional.empty())))
            .extracting(DiagnosticEntry::key).containsExactly(ALICE_DATE);
        assertThat(store.list(new DiagnosticFilter(Optional.empty(), Optional.empty(), Optional.of(T0.plusSeconds(1)))))
            .extracting(DiagnosticEntry::key).containsExactly(BOB_ID);
        assertThat(store.list(new DiagnosticFilter(Optional.empty(), Optional.empty(), Optional.of(T0))))
            .extracting(DiagnosticEntry::key).containsExactly(ALICE_DATE, BOB_ID);
        assertThat(store.list(new DiagnosticFilter(Optional.of("alice@example.test"), Optional.of(Defect.AUTH_FAILED),
            Optional.empty()))).isEmpty();
    }

    @Test
    default void evictionShouldDropTheKeyRecordedLeastRecently() {
        DiagnosticsStore store = store(2);
        DiagnosticKey carol = new DiagnosticKey("carol@example.test", "Outlook", Defect.SENDER_ADDED);
        store.record(ALICE_DATE, T0);
        store.record(BOB_ID, T0.plusSeconds(1));
        store.record(ALICE_DATE, T0.plusSeconds(2));

        assertThat(store.record(carol, T0.plusSeconds(3))).isTrue();

        assertThat(store.list(DiagnosticFilter.ALL)).extracting(DiagnosticEntry::key).containsExactly(ALICE_DATE, carol);
        assertThat(store.record(BOB_ID, T0.plusSeconds(4))).as("evicted, so new again").isTrue();
    }

    @Test
    default void manyDistinctKeysShouldKeepOnlyTheMostRecentOnes() {
        DiagnosticsStore store = store(100);
        for (int i = 0; i < 1000; i++) {
            store.record(new DiagnosticKey("user" + i + "@example.test", "client " + i, Defect.values()[i % Defect.values().length]),
                T0.plusMillis(i));
        }

        List<DiagnosticEntry> entries = store.list(DiagnosticFilter.ALL);
        assertThat(entries).hasSize(100);
        assertThat(entries).extracting(DiagnosticEntry::firstSeen)
            .allSatisfy(firstSeen -> assertThat(firstSeen).isAfterOrEqualTo(T0.plusMillis(900)));
    }
}
