package org.msa4james.diagnostics;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

import javax.inject.Inject;
import javax.inject.Singleton;

import org.apache.james.metrics.api.MetricFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the hooks and mailets call when they repair or refuse something a client got wrong: counts it in the
 * {@link DiagnosticsStore}, increments the James metric {@code msa4james.diagnostics.<defect>}, and logs one INFO line
 * when a (subject, client software, defect) is seen for the first time, none for its repeats within an hour.
 */
@Singleton
public class ClientDiagnostics {
    public static final String METRIC_PREFIX = "msa4james.diagnostics.";
    static final Duration LOG_INTERVAL = Duration.ofHours(1);
    static final int MAXIMUM_LOGGED_KEYS = 10_000;
    private static final Logger LOGGER = LoggerFactory.getLogger(ClientDiagnostics.class);

    private final DiagnosticsStore store;
    private final Consumer<String> counter;
    private final Clock clock;
    private final boolean enabled;
    private final Map<DiagnosticKey, Instant> lastLogged = new LinkedHashMap<>(16, 0.75f, false) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<DiagnosticKey, Instant> eldest) {
            return size() > MAXIMUM_LOGGED_KEYS;
        }
    };

    @Inject
    public ClientDiagnostics(DiagnosticsStore store, MetricFactory metricFactory, Clock clock) {
        this(store, name -> metricFactory.generate(name).increment(), clock, true);
    }

    ClientDiagnostics(DiagnosticsStore store, Consumer<String> counter, Clock clock, boolean enabled) {
        this.store = store;
        this.counter = counter;
        this.clock = clock;
        this.enabled = enabled;
    }

    /** Records nothing: for hooks and mailets built outside James (unit tests). */
    public static ClientDiagnostics discarding() {
        return new ClientDiagnostics(new InMemoryDiagnosticsStore(1), name -> { }, Clock.systemUTC(), false);
    }

    /**
     * @param subject the authenticated user, else the client address
     * @param clientSoftware as given by {@link ClientSoftware#of}
     */
    public void record(Defect defect, String subject, String clientSoftware) {
        if (!enabled) {
            return;
        }
        DiagnosticKey key = new DiagnosticKey(subject, clientSoftware, defect);
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        store.record(key, now);
        counter.accept(METRIC_PREFIX + defect.id());
        if (shouldLog(key, now)) {
            LOGGER.info("Client defect {}: {} with client software '{}' (further occurrences within {} are counted,"
                + " not logged)", defect.id(), subject, clientSoftware, LOG_INTERVAL);
        }
    }

    private synchronized boolean shouldLog(DiagnosticKey key, Instant now) {
        Instant previous = lastLogged.get(key);
        if (previous != null && now.isBefore(previous.plus(LOG_INTERVAL))) {
            return false;
        }
        lastLogged.remove(key);
        lastLogged.put(key, now);
        return true;
    }

    public DiagnosticsStore store() {
        return store;
    }
}
