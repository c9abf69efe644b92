package org.msa4james.diagnostics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Collectors;

import org.apache.james.metrics.tests.RecordingMetricFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

class ClientDiagnosticsTest {
    private static final Instant T0 = Instant.parse("2026-11-28T10:00:00Z");

    private final MutableClock clock = new MutableClock(T0);
    private final RecordingMetricFactory metrics = new RecordingMetricFactory();
    private final InMemoryDiagnosticsStore store = new InMemoryDiagnosticsStore();
    private final ClientDiagnostics diagnostics = new ClientDiagnostics(store, metrics, clock);
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger(ClientDiagnostics.class);

    @BeforeEach
    void captureLogs() {
        logs.start();
        logger.addAppender(logs);
    }

    @AfterEach
    void releaseLogs() {
        logger.detachAppender(logs);
    }

    @Nested
    class Store {
        @Test
        void recordShouldCountTheKeyAtTheClockTime() {
            diagnostics.record(Defect.MISSING_DATE, "alice@example.test", "Thunderbird/115");
            clock.advance(Duration.ofMinutes(5));
            diagnostics.record(Defect.MISSING_DATE, "alice@example.test", "Thunderbird/115");

            assertThat(store.list(DiagnosticFilter.ALL)).containsExactly(new DiagnosticEntry(
                new DiagnosticKey("alice@example.test", "Thunderbird/115", Defect.MISSING_DATE), 2, T0,
                T0.plus(Duration.ofMinutes(5))));
        }

        @Test
        void discardingShouldRecordNothing() {
            ClientDiagnostics discarding = ClientDiagnostics.discarding();

            discarding.record(Defect.MISSING_DATE, "alice@example.test", "Thunderbird/115");

            assertThat(discarding.store().list(DiagnosticFilter.ALL)).isEmpty();
        }
    }

    @Nested
    class Metrics {
        @Test
        void everyOccurrenceShouldIncrementTheDefectCounter() {
            diagnostics.record(Defect.MISSING_DATE, "alice@example.test", "Thunderbird/115");
            diagnostics.record(Defect.MISSING_DATE, "bob@example.test", "Printer 3000");
            diagnostics.record(Defect.AUTH_FAILED, "192.0.2.7", "pc1");

            assertThat(metrics.countFor("msa4james.diagnostics.missing-date")).isEqualTo(2);
            assertThat(metrics.countFor("msa4james.diagnostics.auth-failed")).isEqualTo(1);
            assertThat(metrics.countFor("msa4james.diagnostics.missing-message-id")).isZero();
        }
    }

    @Nested
    class Logging {
        @Test
        void firstOccurrenceShouldBeLoggedOnce() {
            diagnostics.record(Defect.MISSING_DATE, "alice@example.test", "Thunderbird/115");
            clock.advance(Duration.ofMinutes(59));
            diagnostics.record(Defect.MISSING_DATE, "alice@example.test", "Thunderbird/115");

            assertThat(messages()).containsExactly("Client defect missing-date: alice@example.test with client software"
                + " 'Thunderbird/115' (further occurrences within PT1H are counted, not logged)");
        }

        @Test
        void occurrenceAfterAnHourShouldBeLoggedAgain() {
            diagnostics.record(Defect.MISSING_DATE, "alice@example.test", "Thunderbird/115");
            clock.advance(Duration.ofMinutes(30));
            diagnostics.record(Defect.MISSING_DATE, "alice@example.test", "Thunderbird/115");
            clock.advance(Duration.ofMinutes(30));
            diagnostics.record(Defect.MISSING_DATE, "alice@example.test", "Thunderbird/115");

            assertThat(messages()).hasSize(2);
        }

        @Test
        void eachKeyShouldBeLoggedOnItsOwn() {
            diagnostics.record(Defect.MISSING_DATE, "alice@example.test", "Thunderbird/115");
            diagnostics.record(Defect.MISSING_DATE, "alice@example.test", "K-9 Mail");
            diagnostics.record(Defect.MISSING_MESSAGE_ID, "alice@example.test", "Thunderbird/115");
            diagnostics.record(Defect.MISSING_DATE, "alice@example.test", "Thunderbird/115");

            assertThat(messages()).hasSize(3);
        }
    }

    private List<String> messages() {
        return logs.list.stream().map(ILoggingEvent::getFormattedMessage).collect(Collectors.toList());
    }

    private static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
