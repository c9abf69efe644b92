package org.msa4james.diagnostics.webadmin;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;

import org.apache.james.webadmin.utils.JsonTransformer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.msa4james.diagnostics.Defect;
import org.msa4james.diagnostics.DiagnosticKey;
import org.msa4james.diagnostics.InMemoryDiagnosticsStore;

import spark.Service;

class DiagnosticsRoutesTest {
    private static final Instant T0 = Instant.parse("2026-11-28T10:00:00Z");
    private static final String ALICE_ENTRY = "{\"user\":\"alice@example.test\",\"clientSoftware\":\"Thunderbird/115\","
        + "\"defect\":\"missing-date\",\"count\":2,\"firstSeen\":\"2026-11-28T10:00:00.000Z\",\"lastSeen\":\"2026-11-28T10:05:00.250Z\"}";
    private static final String BOB_ENTRY = "{\"user\":\"bob@example.test\",\"clientSoftware\":\"Printer 3000\","
        + "\"defect\":\"missing-message-id\",\"count\":1,\"firstSeen\":\"2026-11-28T11:00:00.000Z\",\"lastSeen\":\"2026-11-28T11:00:00.000Z\"}";

    private final InMemoryDiagnosticsStore store = new InMemoryDiagnosticsStore();
    private final HttpClient http = HttpClient.newHttpClient();
    private Service service;

    @BeforeEach
    void start() {
        store.record(new DiagnosticKey("alice@example.test", "Thunderbird/115", Defect.MISSING_DATE), T0);
        store.record(new DiagnosticKey("alice@example.test", "Thunderbird/115", Defect.MISSING_DATE), T0.plusMillis(300_250));
        store.record(new DiagnosticKey("bob@example.test", "Printer 3000", Defect.MISSING_MESSAGE_ID), T0.plusSeconds(3600));
        service = Service.ignite().ipAddress("127.0.0.1").port(0);
        new DiagnosticsRoutes(store, new JsonTransformer()).define(service);
        service.awaitInitialization();
    }

    @AfterEach
    void stop() {
        service.stop();
        service.awaitStop();
    }

    @Nested
    class Listing {
        @Test
        void getShouldListEveryEntry() throws Exception {
            assertThat(get("/submission/diagnostics")).isEqualTo("200 [" + ALICE_ENTRY + "," + BOB_ENTRY + "]");
        }

        @Test
        void userFilterShouldSelectTheUser() throws Exception {
            assertThat(get("/submission/diagnostics?user=bob@example.test")).isEqualTo("200 [" + BOB_ENTRY + "]");
        }

        @Test
        void defectFilterShouldSelectTheDefect() throws Exception {
            assertThat(get("/submission/diagnostics?defect=missing-date")).isEqualTo("200 [" + ALICE_ENTRY + "]");
        }

        @Test
        void sinceFilterShouldSelectEntriesSeenSince() throws Exception {
            assertThat(get("/submission/diagnostics?since=2026-11-28T10:30:00Z")).isEqualTo("200 [" + BOB_ENTRY + "]");
        }

        @Test
        void unknownUserShouldGiveAnEmptyList() throws Exception {
            assertThat(get("/submission/diagnostics?user=carol@example.test")).isEqualTo("200 []");
        }

        @Test
        void userRouteShouldListTheUser() throws Exception {
            assertThat(get("/submission/diagnostics/users/alice@example.test")).isEqualTo("200 [" + ALICE_ENTRY + "]");
        }

        @Test
        void userRouteShouldTakeTheFilters() throws Exception {
            assertThat(get("/submission/diagnostics/users/alice@example.test?defect=missing-message-id")).isEqualTo("200 []");
        }
    }

    @Nested
    class Errors {
        @Test
        void unknownDefectShouldBeRefused() throws Exception {
            assertThat(get("/submission/diagnostics?defect=MISSING_DATE")).isEqualTo("400 {\"statusCode\":400,"
                + "\"type\":\"InvalidArgument\",\"message\":\"Unknown defect 'MISSING_DATE'; known defects: missing-date,"
                + " invalid-date, missing-message-id, invalid-message-id, unqualified-domain, eight-bit-header,"
                + " from-not-entitled, sender-added, long-lines-reencoded, auth-without-tls, auth-failed, rate-limited\","
                + "\"details\":null}");
        }

        @Test
        void badSinceShouldBeRefused() throws Exception {
            assertThat(get("/submission/diagnostics?since=2026-11-28")).isEqualTo("400 {\"statusCode\":400,"
                + "\"type\":\"InvalidArgument\",\"message\":\"'since' must be an ISO-8601 instant such as"
                + " 2024-01-31T08:00:00Z, got '2026-11-28'\",\"details\":null}");
        }

        @Test
        void emptyUserShouldBeRefused() throws Exception {
            assertThat(get("/submission/diagnostics?user=")).isEqualTo("400 {\"statusCode\":400,"
                + "\"type\":\"InvalidArgument\",\"message\":\"'user' must not be empty\",\"details\":null}");
        }
    }

    @Test
    void deleteShouldResetTheStore() throws Exception {
        HttpResponse<String> response = send("DELETE", "/submission/diagnostics");

        assertThat(response.statusCode()).isEqualTo(204);
        assertThat(response.body()).isEmpty();
        assertThat(get("/submission/diagnostics")).isEqualTo("200 []");
    }

    private String get(String path) throws Exception {
        HttpResponse<String> response = send("GET", path);
        return response.statusCode() + " " + response.body();
    }

    private HttpResponse<String> send(String method, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.port() + path))
            .method(method, HttpRequest.BodyPublishers.noBody())
            .build(), HttpResponse.BodyHandlers.ofString());
    }
}
