package org.msa4james.diagnostics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class InMemoryDiagnosticsStoreTest {
    private static final Instant T0 = Instant.parse("2026-11-28T10:00:00Z");
    private static final DiagnosticKey ALICE_DATE = new DiagnosticKey("alice@example.test", "Thunderbird/115", Defect.MISSING_DATE);
    private static final DiagnosticKey BOB_ID = new DiagnosticKey("bob@example.test", "Printer 3000", Defect.MISSING_MESSAGE_ID);

    @Nested
    class Counting {
        @Test
        void recordShouldCountAndKeepFirstAndLastSeen() {
            InMemoryDiagnosticsStore store = new InMemoryDiagnosticsStore();

            assertThat(store.record(ALICE_DATE, T0)).isTrue();
            assertThat(store.record(ALICE_DATE, T0.plusSeconds(60))).isFalse();
            assertThat(store.record(ALICE_DATE, T0.plusSeconds(120))).isFalse();

            assertThat(store.list(DiagnosticFilter.ALL))
                .containsExactly(new DiagnosticEntry(ALICE_DATE, 3, T0, T0.plusSeconds(120)));
        }

        @Test
        void listShouldBeOrderedBySubjectClientAndDefect() {
            InMemoryDiagnosticsStore store = new InMemoryDiagnosticsStore();
            DiagnosticKey aliceId = new DiagnosticKey("alice@example.test", "Thunderbird/115", Defect.MISSING_MESSAGE_ID);
            store.record(BOB_ID, T0);
            store.record(aliceId, T0);
            store.record(ALICE_DATE, T0);

            assertThat(store.list(DiagnosticFilter.ALL)).extracting(DiagnosticEntry::key)
                .containsExactly(ALICE_DATE, aliceId, BOB_ID);
        }

        @Test
        void resetShouldForgetEverything() {
            InMemoryDiagnosticsStore store = new InMemoryDiagnosticsStore();
            store.record(ALICE_DATE, T0);

            store.reset();

            assertThat(store.list(DiagnosticFilter.ALL)).isEmpty();
            assertThat(store.size()).isZero();
        }

        @Test
        void concurrentRecordsShouldAllBeCounted() throws Exception {
            InMemoryDiagnosticsStore store = new InMemoryDiagnosticsStore();
            ExecutorService executor = Executors.newFixedThreadPool(4);
            for (int i = 0; i < 4000; i++) {
                executor.execute(() -> store.record(ALICE_DATE, T0));
            }
            executor.shutdown();
            assertThat(executor.awaitTermination(30, TimeUnit.SECONDS)).isTrue();

            assertThat(store.list(DiagnosticFilter.ALL)).extracting(DiagnosticEntry::count).containsExactly(4000L);
        }
    }

    @Nested
    class Filtering {
        @Test
        void filtersShouldSelectBySubjectDefectAndLastSeen() {
            InMemoryDiagnosticsStore store = new InMemoryDiagnosticsStore();
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
    }

    @Nested
    class Bounds {
        @Test
        void storeShouldStayBoundedUnderOneHundredThousandDistinctKeys() {
            InMemoryDiagnosticsStore store = new InMemoryDiagnosticsStore();
            for (int i = 0; i < 100_000; i++) {
                store.record(new DiagnosticKey("user" + i + "@example.test", "client " + i, Defect.values()[i % Defect.values().length]),
                    T0.plusMillis(i));
                assertThat(store.size()).isLessThanOrEqualTo(InMemoryDiagnosticsStore.DEFAULT_MAXIMUM_ENTRIES);
            }

            List<DiagnosticEntry> entries = store.list(DiagnosticFilter.ALL);
            assertThat(entries).hasSize(10_000);
            // the 10 000 most recent keys are kept, the 90 000 oldest evicted
            assertThat(entries).extracting(entry -> entry.firstSeen())
                .allSatisfy(firstSeen -> assertThat(firstSeen).isAfterOrEqualTo(T0.plusMillis(90_000)));
        }

        @Test
        void evictionShouldDropTheKeyRecordedLeastRecently() {
            InMemoryDiagnosticsStore store = new InMemoryDiagnosticsStore(2);
            DiagnosticKey carol = new DiagnosticKey("carol@example.test", "Outlook", Defect.SENDER_ADDED);
            store.record(ALICE_DATE, T0);
            store.record(BOB_ID, T0.plusSeconds(1));
            store.record(ALICE_DATE, T0.plusSeconds(2));

            store.record(carol, T0.plusSeconds(3));

            assertThat(store.list(DiagnosticFilter.ALL)).extracting(DiagnosticEntry::key).containsExactly(ALICE_DATE, carol);
        }

        @Test
        void maximumShouldBePositive() {
            assertThatThrownBy(() -> new InMemoryDiagnosticsStore(0)).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
