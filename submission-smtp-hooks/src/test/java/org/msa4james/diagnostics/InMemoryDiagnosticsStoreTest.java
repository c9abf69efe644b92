package org.msa4james.diagnostics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

class InMemoryDiagnosticsStoreTest implements DiagnosticsStoreContract {
    @Override
    public DiagnosticsStore store(int maximumEntries) {
        return new InMemoryDiagnosticsStore(maximumEntries);
    }

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
    void maximumShouldBePositive() {
        assertThatThrownBy(() -> new InMemoryDiagnosticsStore(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
