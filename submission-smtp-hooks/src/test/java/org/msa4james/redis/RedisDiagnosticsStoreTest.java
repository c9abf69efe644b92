package org.msa4james.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.james.metrics.tests.RecordingMetricFactory;
import org.apache.james.webadmin.utils.JsonTransformer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.msa4james.diagnostics.Defect;
import org.msa4james.diagnostics.DiagnosticEntry;
import org.msa4james.diagnostics.DiagnosticFilter;
import org.msa4james.diagnostics.DiagnosticKey;
import org.msa4james.diagnostics.DiagnosticsStore;
import org.msa4james.diagnostics.DiagnosticsStoreContract;
import org.msa4james.diagnostics.DiagnosticsUnavailableException;
import org.msa4james.diagnostics.webadmin.DiagnosticsRoutes;

import spark.Service;

/** The Redis store against a real redis-server: the store contract, one list for two nodes, and a Redis outage. */
class RedisDiagnosticsStoreTest implements DiagnosticsStoreContract {
    private static final String PREFIX = "msa4james-test:";

    @RegisterExtension
    static RedisServerExtension redisServer = new RedisServerExtension();

    private final AtomicLong nanos = new AtomicLong();
    private final RecordingMetricFactory metrics = new RecordingMetricFactory();

    private RedisGateway gateway() {
        return redisServer.gateway(PREFIX, Duration.ofSeconds(2), metrics, nanos::get);
    }

    private static RedisServerProcess redis() {
        return redisServer.redis();
    }

    @Override
    public DiagnosticsStore store(int maximumEntries) {
        return new RedisDiagnosticsStore(gateway(), maximumEntries);
    }

    @Test
    void twoNodesShouldShareOneList() {
        DiagnosticsStore nodeA = store();
        DiagnosticsStore nodeB = store();
        nodeA.record(ALICE_DATE, T0);

        assertThat(nodeB.record(ALICE_DATE, T0.plusSeconds(5))).isFalse();
        assertThat(nodeB.list(DiagnosticFilter.ALL)).containsExactly(new DiagnosticEntry(ALICE_DATE, 2, T0, T0.plusSeconds(5)));

        nodeB.reset();
        assertThat(nodeA.list(DiagnosticFilter.ALL)).isEmpty();
    }

    @Test
    void theStoreShouldBeThreeKeysUnderThePrefixThatDoNotExpire() {
        store().record(ALICE_DATE, T0);

        assertThat(redis().commands().keys("*")).containsExactlyInAnyOrder(PREFIX + "diagnostics:entries",
            PREFIX + "diagnostics:recency", PREFIX + "diagnostics:sequence");
        assertThat(redis().commands().hgetall(PREFIX + "diagnostics:entries"))
            .containsExactly(java.util.Map.entry("missing-date|18|alice@example.testThunderbird/115",
                "1 " + T0.toEpochMilli() + " " + T0.toEpochMilli()));
        assertThat(redis().commands().pttl(PREFIX + "diagnostics:entries")).isEqualTo(-1);
    }

    @Test
    void anySubjectAndClientSoftwareShouldComeBackAsRecorded() {
        DiagnosticsStore store = store();
        DiagnosticKey odd = new DiagnosticKey("a|b|12|x", "Mailer|2.0 (Linux; \"x\") é", Defect.AUTH_FAILED);
        DiagnosticKey empty = new DiagnosticKey("", "", Defect.SENDER_ADDED);
        store.record(odd, T0);
        store.record(empty, T0);

        assertThat(store.list(DiagnosticFilter.ALL)).extracting(DiagnosticEntry::key).containsExactly(empty, odd);
    }

    @Nested
    class Outage {
        @Test
        void defectsShouldBeRecordedOnThisNodeWhileRedisIsDownAndListedWithRedisOnesWhenItIsBack() throws Exception {
            RedisDiagnosticsStore store = new RedisDiagnosticsStore(gateway());
            redis().stop();

            assertThat(store.record(ALICE_DATE, T0.plusSeconds(10))).isTrue();
            assertThat(store.record(BOB_ID, T0.plusSeconds(20))).isTrue();
            assertThatThrownBy(() -> store.list(DiagnosticFilter.ALL))
                .isInstanceOf(DiagnosticsUnavailableException.class)
                .hasMessage("Redis at " + redis().url() + ", where the client diagnostics of every node are kept, does not answer; "
                    + "try again later");
            assertThatThrownBy(store::reset).isInstanceOf(DiagnosticsUnavailableException.class);

            redis().start();
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30))
                .ignoreException(DiagnosticsUnavailableException.class)
                .untilAsserted(() -> {
                    nanos.addAndGet(FallbackPolicy.BACK_OFF.toNanos());
                    assertThat(store.list(DiagnosticFilter.ALL)).hasSize(2);
                });
            store.record(ALICE_DATE, T0.plusSeconds(30));

            assertThat(redis().commands().hlen(PREFIX + "diagnostics:entries")).isEqualTo(1);
            assertThat(store.list(DiagnosticFilter.ALL)).containsExactly(
                new DiagnosticEntry(ALICE_DATE, 2, T0.plusSeconds(10), T0.plusSeconds(30)),
                new DiagnosticEntry(BOB_ID, 1, T0.plusSeconds(20), T0.plusSeconds(20)));
            store.reset();
            assertThat(store.list(DiagnosticFilter.ALL)).isEmpty();
            assertThat(metrics.countFor(RedisGateway.FALLBACK_METRIC)).isGreaterThanOrEqualTo(4);
        }

        @Test
        void webadminShouldAnswer503WhileRedisIsDown() throws Exception {
            RedisDiagnosticsStore store = new RedisDiagnosticsStore(gateway());
            store.record(ALICE_DATE, T0);
            Service service = Service.ignite().ipAddress("127.0.0.1").port(0);
            try {
                new DiagnosticsRoutes(store, new JsonTransformer()).define(service);
                service.awaitInitialization();
                redis().stop();
                String error = "{\"statusCode\":503,\"type\":\"ServerError\",\"message\":\"Redis at " + redis().url()
                    + ", where the client diagnostics of every node are kept, does not answer; try again later\",\"details\":null}";

                assertThat(send(service, "GET", "/submission/diagnostics")).isEqualTo("503 " + error);
                assertThat(send(service, "DELETE", "/submission/diagnostics")).isEqualTo("503 " + error);
            } finally {
                service.stop();
                service.awaitStop();
            }
        }

        private String send(Service service, String method, String path) throws Exception {
            HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.port() + path))
                    .method(method, HttpRequest.BodyPublishers.noBody())
                    .build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() + " " + response.body();
        }
    }
}
