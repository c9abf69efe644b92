package org.msa4james.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.msa4james.it.ExpectedReplies.MESSAGE_ACCEPTED;
import static org.msa4james.it.ExpectedReplies.recipientOk;
import static org.msa4james.it.ExpectedReplies.senderOk;
import static org.msa4james.it.Fixtures.ALICE;
import static org.msa4james.it.Fixtures.BOB;
import static org.msa4james.it.Fixtures.CAROL_REMOTE;
import static org.msa4james.it.Fixtures.PASSWORD;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Client diagnostics end to end: two users with two different mail clients submit messages with different defects through a
 * real James on the shipped configuration (DiagnosticsModule through extensions.properties, DiagnosticsRoutes
 * through webadmin.properties); the webadmin route shows exactly who sends what with which software, filters,
 * resets, and never shows message content.
 */
class ClientDiagnosticsTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final String THUNDERBIRD = "Thunderbird/115";
    private static final String PRINTER = "Printer 3000";
    private static final Pattern TIMES = Pattern.compile("\"firstSeen\":\"([^\"]+)\",\"lastSeen\":\"([^\"]+)\"");

    @RegisterExtension
    static MsaJamesExtension james = MsaJamesExtension.withDefaults();

    private final HttpClient http = HttpClient.newHttpClient();
    private final String secret = "secret-" + UUID.randomUUID();
    private Instant start;
    private Instant end;

    @BeforeEach
    void twoBrokenClientsSubmit() throws Exception {
        assertThat(send("DELETE", "/submission/diagnostics").statusCode()).isEqualTo(204);
        start = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        // alice's Thunderbird sends no Date, twice
        submit(ALICE, message(ALICE, "User-Agent: " + THUNDERBIRD, false, true));
        submit(ALICE, message(ALICE, "User-Agent: " + THUNDERBIRD, false, true));
        // bob's printer sends no Message-ID
        submit(BOB, message(BOB, "X-Mailer: " + PRINTER, true, false));
        Awaitility.await("three repairs counted")
            .atMost(TIMEOUT)
            .pollInterval(Duration.ofMillis(100))
            .until(() -> get("/submission/diagnostics").contains("\"count\":2")
                && get("/submission/diagnostics").contains("missing-message-id"));
        end = Instant.now();
    }

    @Nested
    class Listing {
        @Test
        void routeShouldListWhichUserSendsWhatWithWhichClient() throws Exception {
            assertThat(withoutTimes(get("/submission/diagnostics"))).isEqualTo("["
                + "{\"user\":\"alice@example.test\",\"clientSoftware\":\"Thunderbird/115\",\"defect\":\"missing-date\","
                + "\"count\":2,\"firstSeen\":\"T\",\"lastSeen\":\"T\"},"
                + "{\"user\":\"bob@example.test\",\"clientSoftware\":\"Printer 3000\",\"defect\":\"missing-message-id\","
                + "\"count\":1,\"firstSeen\":\"T\",\"lastSeen\":\"T\"}"
                + "]");
        }

        @Test
        void userFilterShouldSelectOneUser() throws Exception {
            assertThat(withoutTimes(get("/submission/diagnostics?user=" + encode(BOB)))).isEqualTo("["
                + "{\"user\":\"bob@example.test\",\"clientSoftware\":\"Printer 3000\",\"defect\":\"missing-message-id\","
                + "\"count\":1,\"firstSeen\":\"T\",\"lastSeen\":\"T\"}"
                + "]");
        }

        @Test
        void defectFilterShouldSelectOneDefect() throws Exception {
            assertThat(withoutTimes(get("/submission/diagnostics?defect=missing-date"))).isEqualTo("["
                + "{\"user\":\"alice@example.test\",\"clientSoftware\":\"Thunderbird/115\",\"defect\":\"missing-date\","
                + "\"count\":2,\"firstSeen\":\"T\",\"lastSeen\":\"T\"}"
                + "]");
        }

        @Test
        void sinceFilterShouldDropEntriesLastSeenBefore() throws Exception {
            assertThat(get("/submission/diagnostics?since=" + encode(end.plusSeconds(1).toString()))).isEqualTo("[]");
            assertThat(withoutTimes(get("/submission/diagnostics?since=" + encode(start.toString()))))
                .contains("\"user\":\"alice@example.test\"", "\"user\":\"bob@example.test\"");
        }

        @Test
        void userRouteShouldListOneUser() throws Exception {
            assertThat(withoutTimes(get("/submission/diagnostics/users/" + ALICE))).isEqualTo("["
                + "{\"user\":\"alice@example.test\",\"clientSoftware\":\"Thunderbird/115\",\"defect\":\"missing-date\","
                + "\"count\":2,\"firstSeen\":\"T\",\"lastSeen\":\"T\"}"
                + "]");
        }

        @Test
        void badDefectShouldBeAJsonError() throws Exception {
            HttpResponse<String> response = send("GET", "/submission/diagnostics?defect=no-such-thing");
            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(response.body()).startsWith("{\"statusCode\":400,\"type\":\"InvalidArgument\","
                + "\"message\":\"Unknown defect 'no-such-thing'; known defects: missing-date, ");
        }

        @Test
        void badSinceShouldBeAJsonError() throws Exception {
            HttpResponse<String> response = send("GET", "/submission/diagnostics?since=yesterday");
            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(response.body()).isEqualTo("{\"statusCode\":400,\"type\":\"InvalidArgument\","
                + "\"message\":\"'since' must be an ISO-8601 instant such as 2024-01-31T08:00:00Z, got 'yesterday'\","
                + "\"details\":null}");
        }
    }

    @Test
    void timesShouldBeWithinTheSubmissionWindow() throws Exception {
        Matcher times = TIMES.matcher(get("/submission/diagnostics"));
        int entries = 0;
        while (times.find()) {
            entries++;
            Instant first = Instant.parse(times.group(1));
            Instant last = Instant.parse(times.group(2));
            assertThat(first).isBetween(start, end);
            assertThat(last).isBetween(first, end);
        }
        assertThat(entries).isEqualTo(2);
    }

    @Test
    void deleteShouldResetTheDiagnostics() throws Exception {
        assertThat(send("DELETE", "/submission/diagnostics").statusCode()).isEqualTo(204);

        assertThat(get("/submission/diagnostics")).isEqualTo("[]");
    }

    @Test
    void messageContentShouldNeverAppearInTheRoutes() throws Exception {
        String all = get("/submission/diagnostics") + get("/submission/diagnostics/users/" + ALICE)
            + get("/submission/diagnostics/users/" + BOB) + get("/submission/diagnostics?defect=missing-date");

        assertThat(all).doesNotContain(secret).doesNotContain("Subject").doesNotContain(CAROL_REMOTE);
    }

    @Test
    void failedAuthShouldBeCountedForTheClientAddressAndEhloName() throws Exception {
        try (SmtpTestClient smtp = james.server().connect(Listener.SUBMISSION)) {
            smtp.ehloUnderTls();
            assertThat(smtp.authPlain(ALICE, "wrong-" + secret).code()).isEqualTo(535);
            assertThat(smtp.authLogin(BOB, "wrong-" + secret).code()).isEqualTo(535);
        }

        String json = withoutTimes(get("/submission/diagnostics?defect=auth-failed"));
        assertThat(json).isEqualTo("["
            + "{\"user\":\"127.0.0.1\",\"clientSoftware\":\"mua.example.test\",\"defect\":\"auth-failed\","
            + "\"count\":2,\"firstSeen\":\"T\",\"lastSeen\":\"T\"}"
            + "]");
        assertThat(get("/submission/diagnostics")).doesNotContain(secret);
    }

    @Test
    void authWithoutTlsShouldBeCountedForTheClientAddressAndEhloName() throws Exception {
        try (SmtpTestClient smtp = james.server().connect(Listener.SUBMISSION)) {
            smtp.ehlo();
            assertThat(smtp.authPlain(ALICE, PASSWORD).code()).isEqualTo(538);
        }

        assertThat(withoutTimes(get("/submission/diagnostics?defect=auth-without-tls"))).isEqualTo("["
            + "{\"user\":\"127.0.0.1\",\"clientSoftware\":\"mua.example.test\",\"defect\":\"auth-without-tls\","
            + "\"count\":1,\"firstSeen\":\"T\",\"lastSeen\":\"T\"}"
            + "]");
    }

    private String message(String from, String clientHeader, boolean withDate, boolean withMessageId) {
        String subject = "Subject " + secret;
        return "From: " + from + "\r\n"
            + "To: " + CAROL_REMOTE + "\r\n"
            + "Subject: " + subject + "\r\n"
            + (withDate ? "Date: Sat, 28 Nov 2026 10:00:00 +0000\r\n" : "")
            + (withMessageId ? "Message-ID: <" + UUID.randomUUID() + "@example.test>\r\n" : "")
            + clientHeader + "\r\n"
            + "MIME-Version: 1.0\r\n"
            + "Content-Type: text/plain; charset=us-ascii\r\n"
            + "\r\n"
            + "The body text " + secret + "\r\n";
    }

    private static void submit(String user, String message) throws IOException {
        try (SmtpTestClient smtp = james.server().connect(Listener.SUBMISSION).authenticated(user, PASSWORD)) {
            assertThat(smtp.mailFrom(user).line()).isEqualTo(senderOk(user));
            assertThat(smtp.rcptTo(CAROL_REMOTE).line()).isEqualTo(recipientOk(CAROL_REMOTE));
            assertThat(smtp.data(message).line()).isEqualTo(MESSAGE_ACCEPTED);
        }
    }

    private static String withoutTimes(String json) {
        return TIMES.matcher(json).replaceAll("\"firstSeen\":\"T\",\"lastSeen\":\"T\"");
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private String get(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = send("GET", path);
        assertThat(response.statusCode()).as("GET " + path + ": " + response.body()).isEqualTo(200);
        return response.body();
    }

    private HttpResponse<String> send(String method, String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + james.server().webAdminPort() + path))
            .method(method, HttpRequest.BodyPublishers.noBody())
            .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
