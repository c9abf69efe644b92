package org.msa4james.cluster;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.msa4james.it.ExpectedReplies.AUTHENTICATION_SUCCESSFUL;
import static org.msa4james.it.ExpectedReplies.MESSAGE_ACCEPTED;
import static org.msa4james.it.ExpectedReplies.recipientOk;
import static org.msa4james.it.ExpectedReplies.senderOk;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;
import org.msa4james.it.SmtpTestClient;
import org.msa4james.it.TestMessages;
import org.msa4james.load.JamesProcess;
import org.msa4james.load.JamesVariant;
import org.msa4james.load.LoadGenerator;
import org.msa4james.load.LoadResult;
import org.msa4james.load.LoadSpec;
import org.msa4james.load.NextHopServer;
import org.msa4james.load.TlsMode;
import org.msa4james.redis.RedisServerProcess;

/**
 * Two James nodes, each the assembled home started by its bin/msa4james as a separate process, sharing one real
 * redis-server (which requires a password) through MSA_REDIS_URL: one sending limit, one password-guessing count and one diagnostics list for
 * both; and a Redis that stops during a load run, which no client notices, each node counting alone until Redis is
 * back. The nodes are started once for the class; each test uses its own users and client addresses, since Redis
 * keeps the counts of the earlier tests.
 */
@ExtendWith(TwoNodesOneRedisTest.PrintNodeLogsOnFailure.class)
class TwoNodesOneRedisTest {
    private static final String HOST = JamesProcess.HOST;
    private static final String ALICE = JamesProcess.USER;
    private static final String BOB = "bob@example.test";
    private static final String CAROL = "carol@example.test";
    private static final String DAVE = "dave@example.test";
    private static final String LOADER = "loader@example.test";
    private static final String PASSWORD = "cluster-" + UUID.randomUUID();
    private static final String REDIS_PASSWORD = "redis-" + UUID.randomUUID();
    private static final String WRONG_PASSWORD = "not-the-password";
    private static final String REMOTE = "erin@example.com";
    private static final DateTimeFormatter RESET_TIME = DateTimeFormatter.ofPattern("HH:mm 'UTC'").withZone(ZoneOffset.UTC);
    private static final String OVERRIDES = ALICE + "=5/100," + CAROL + "=5/100," + DAVE + "=5/100," + LOADER + "=100000000/100000000";
    private static final Pattern FALLBACK_METRIC = Pattern.compile("(?m)^msa4james_redis_fallbacks_total ([0-9.E]+)$");

    private static RedisServerProcess redis;
    private static NextHopServer nextHop;
    private static JamesProcess nodeA;
    private static JamesProcess nodeB;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void startRedisAndTwoNodes() throws Exception {
        redis = RedisServerProcess.startNew("--requirepass", REDIS_PASSWORD);
        nextHop = NextHopServer.start();
        Map<String, String> environment = Map.of(
            "MSA_REDIS_URL", redisUrlWithPassword(),
            "MSA_SENDING_OVERRIDES", OVERRIDES,
            "MSA_JAVA_OPTS", "-Xmx384m");
        ExecutorService starter = Executors.newFixedThreadPool(2);
        try {
            Future<JamesProcess> a = starter.submit(() -> JamesProcess.start(JamesVariant.MSA4JAMES, JamesProcess.assembledHome(),
                nextHop.port(), JamesProcess.DEFAULT_JAVA_OPTS, environment));
            Future<JamesProcess> b = starter.submit(() -> JamesProcess.start(JamesVariant.MSA4JAMES, JamesProcess.assembledHome(),
                nextHop.port(), JamesProcess.DEFAULT_JAVA_OPTS, environment));
            nodeA = a.get(5, TimeUnit.MINUTES);
            nodeB = b.get(5, TimeUnit.MINUTES);
        } finally {
            starter.shutdownNow();
        }
        for (JamesProcess node : List.of(nodeA, nodeB)) {
            for (String user : List.of(BOB, CAROL, DAVE, LOADER)) {
                node.addUser(user, PASSWORD);
            }
        }
    }

    @AfterAll
    static void stopEverything() {
        try {
            for (JamesProcess node : new JamesProcess[] {nodeA, nodeB}) {
                if (node != null) {
                    node.close();
                }
            }
        } finally {
            if (nextHop != null) {
                nextHop.close();
            }
            if (redis != null) {
                redis.close();
            }
        }
    }

    @Test
    void theHourlyLimitShouldHoldForBothNodesTogether() throws Exception {
        Instant before = Instant.now();
        send(nodeA, ALICE, nodeA.password(), 3);
        Instant after = Instant.now();
        send(nodeB, ALICE, nodeB.password(), 2);

        for (JamesProcess node : List.of(nodeA, nodeB)) {
            try (SmtpTestClient smtp = connect("127.0.0.1", node)) {
                smtp.authenticated(ALICE, node.password());
                assertThat(smtp.mailFrom(ALICE).line()).as("the sixth message, on node %s", node)
                    .isIn(messageLimit(5, ALICE, before), messageLimit(5, ALICE, after));
            }
        }
        assertThat(redis.commands().hget("msa4james:sending:messages:" + ALICE, "c")).isEqualTo("5");
    }

    @Test
    void failedAuthFromOneAddressShouldBeCountedByBothNodesWhileTheUserLogsInFromAnother() throws Exception {
        String guesser = "127.0.0.21";
        try (SmtpTestClient smtp = connect(guesser, nodeA)) {
            smtp.ehloUnderTls();
            for (int i = 1; i <= 3; i++) {
                assertThat(smtp.authPlain(ALICE, WRONG_PASSWORD).code()).as("failure %s on node A", i).isEqualTo(535);
            }
        }
        try (SmtpTestClient smtp = connect(guesser, nodeB)) {
            smtp.ehloUnderTls();
            for (int i = 4; i <= 5; i++) {
                assertThat(smtp.authPlain(ALICE, WRONG_PASSWORD).code()).as("failure %s on node B", i).isEqualTo(535);
            }
            assertThat(smtp.authPlain(ALICE, WRONG_PASSWORD).line()).as("the sixth attempt, the third on node B")
                .isEqualTo("454 4.7.0 Too many failed authentication attempts from 127.0.0.21; try again later");
        }
        try (SmtpTestClient smtp = connect(guesser, nodeA)) {
            smtp.ehloUnderTls();
            assertThat(smtp.authPlain(ALICE, nodeA.password()).line()).as("even the right password, from the guessing address")
                .isEqualTo("454 4.7.0 Too many failed authentication attempts from 127.0.0.21; try again later");
        }

        for (JamesProcess node : List.of(nodeA, nodeB)) {
            try (SmtpTestClient smtp = connect("127.0.0.22", node)) {
                smtp.ehloUnderTls();
                assertThat(smtp.authPlain(ALICE, node.password()).line()).isEqualTo(AUTHENTICATION_SUCCESSFUL);
            }
        }
        assertThat(redis.commands().hget("msa4james:auth-failures:address:" + guesser, "c")).isEqualTo("5");
    }

    @Test
    void aDefectRecordedOnOneNodeShouldBeListedByTheOther() throws Exception {
        String client = "ClusterTest/" + UUID.randomUUID();
        try (SmtpTestClient smtp = connect("127.0.0.1", nodeA)) {
            smtp.authenticated(BOB, PASSWORD);
            assertThat(smtp.mailFrom(BOB).line()).isEqualTo(senderOk(BOB));
            assertThat(smtp.rcptTo(REMOTE).line()).isEqualTo(recipientOk(REMOTE));
            assertThat(smtp.data("From: " + BOB + "\r\nTo: " + REMOTE + "\r\nSubject: no Date\r\nUser-Agent: " + client
                + "\r\nMessage-ID: <" + UUID.randomUUID() + "@example.test>\r\n\r\nSent without a Date field.\r\n").line())
                .isEqualTo(MESSAGE_ACCEPTED);
        }

        String entry = Awaitility.await().atMost(Duration.ofSeconds(30)).until(
            () -> get(nodeB, "/submission/diagnostics?user=" + BOB + "&defect=missing-date"), body -> body.contains(client));
        assertThat(entry).matches("200 \\[\\{\"user\":\"bob@example.test\",\"clientSoftware\":\"" + Pattern.quote(client)
            + "\",\"defect\":\"missing-date\",\"count\":1,\"firstSeen\":\"[0-9T:.-]+Z\",\"lastSeen\":\"[0-9T:.-]+Z\"\\}\\]");

        assertThat(send(nodeB, "DELETE", "/submission/diagnostics").statusCode()).isEqualTo(204);
        assertThat(get(nodeA, "/submission/diagnostics")).isEqualTo("200 []");
    }

    /**
     * Redis stopped while 3,000 messages are being submitted to node A: every one gets its 250 and reaches the next
     * hop, node A warns once and counts the fallbacks; meanwhile each node holds the limits alone; Redis started again
     * (empty: it keeps nothing on disk), both nodes count in it again by themselves.
     */
    @Test
    void aRedisOutageDuringALoadRunShouldGoUnnoticedByClientsAndEndByItself() throws Exception {
        LoadSpec load = LoadSpec.builder()
            .host(HOST).port(nodeA.submissionPort()).tls(TlsMode.STARTTLS)
            .credentials(LOADER, PASSWORD).sender(LOADER).recipient(REMOTE)
            .connections(4).totalMessages(3_000).messageSize(1024)
            .timeLimit(Duration.ofMinutes(5))
            .build();
        int before = nextHop.received();
        CompletableFuture<LoadResult> run = CompletableFuture.supplyAsync(() -> LoadGenerator.run(load, nextHop));
        Awaitility.await().atMost(Duration.ofMinutes(2)).until(() -> nextHop.received() - before >= 300 || run.isDone());
        assertThat(run.isDone()).as("the load run is still going when Redis stops").isFalse();

        int outputBeforeStop = output(nodeA).length();
        redis.stop();
        Instant stopped = Instant.now();
        LoadResult result = run.get(6, TimeUnit.MINUTES);

        assertThat(result.accepted()).as(result.toJson()).isEqualTo(3_000);
        assertThat(result.refused() + result.errors() + result.missing() + result.duplicates()).as(result.toJson()).isZero();
        // a Redis slow to die may answer once more (its "answers again" ends that outage, the next failure opens another)
        String sinceStop = output(nodeA).substring(outputBeforeStop);
        int recoveries = (int) sinceStop.lines().filter(line -> line.contains("o.m.r.RedisGateway - Redis at ")
            && line.contains(" answers again: ")).count();
        assertThat(redisWarnings(sinceStop)).as("one warning when Redis stopped, then at most one a minute")
            .hasSizeBetween(1, 1 + recoveries + (int) Duration.between(stopped, Instant.now()).toMinutes())
            .allSatisfy(warning -> assertThat(warning)
                .startsWith("Redis at " + redisUrlAsLogged() + " failed (")
                .contains("): this node counts failed AUTH, sending limits and client diagnostics alone until Redis answers again"));
        assertThat(fallbacks(nodeA)).isGreaterThan(0);

        // meanwhile each node holds carol to her 5 messages alone
        send(nodeA, CAROL, PASSWORD, 5);
        try (SmtpTestClient smtp = connect("127.0.0.1", nodeA)) {
            smtp.authenticated(CAROL, PASSWORD);
            assertThat(smtp.mailFrom(CAROL).line()).startsWith("451 4.7.1 Sending limit reached: at most 5 messages per hour for "
                + CAROL + "; try again after ");
        }
        send(nodeB, CAROL, PASSWORD, 1);

        Map<JamesProcess, Integer> outputBeforeRestart = Map.of(nodeA, output(nodeA).length(), nodeB, output(nodeB).length());
        redis.start();
        for (JamesProcess node : List.of(nodeA, nodeB)) {
            Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).until(() -> {
                try (SmtpTestClient smtp = connect("127.0.0.1", node)) {
                    smtp.authenticated(LOADER, PASSWORD);
                    smtp.mailFrom(LOADER);
                }
                return output(node).substring(outputBeforeRestart.get(node)).contains("Redis at " + redisUrlAsLogged()
                    + " answers again: failed AUTH, sending limits and client diagnostics are counted in Redis again");
            });
        }

        Instant windowOpens = Instant.now();
        send(nodeA, DAVE, PASSWORD, 3);
        Instant windowOpened = Instant.now();
        send(nodeB, DAVE, PASSWORD, 2);
        for (JamesProcess node : List.of(nodeA, nodeB)) {
            try (SmtpTestClient smtp = connect("127.0.0.1", node)) {
                smtp.authenticated(DAVE, PASSWORD);
                assertThat(smtp.mailFrom(DAVE).line()).isIn(messageLimit(5, DAVE, windowOpens), messageLimit(5, DAVE, windowOpened));
            }
        }
        assertThat(redis.commands().hget("msa4james:sending:messages:" + DAVE, "c")).isEqualTo("5");
    }

    @Test
    void theRedisPasswordShouldBeNeitherOnTheCommandLineNorInTheLog() throws Exception {
        for (JamesProcess node : List.of(nodeA, nodeB)) {
            assertThat(output(node)).contains("through Redis at " + redisUrlAsLogged() + " (timeout 500ms, key prefix 'msa4james:')")
                .doesNotContain(REDIS_PASSWORD);
            assertThat(ProcessHandle.of(node.pid()).flatMap(process -> process.info().commandLine()))
                .hasValueSatisfying(line -> assertThat(line).contains("-Dworking.directory=").doesNotContain(REDIS_PASSWORD));
        }
        assertThat(redis.commands().clientList().lines().filter(client -> client.contains(" name=msa4james "))).hasSize(2);
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private static String redisUrlWithPassword() {
        return "redis://:" + REDIS_PASSWORD + "@" + HOST + ":" + redis.port() + "/0";
    }

    /** The URL as the nodes log it: the credentials masked. */
    private static String redisUrlAsLogged() {
        return "redis://****@" + HOST + ":" + redis.port() + "/0";
    }

    /** {@code count} accepted messages from {@code user} to a remote address, each in its own session. */
    private static void send(JamesProcess node, String user, String password, int count) throws IOException {
        for (int i = 1; i <= count; i++) {
            try (SmtpTestClient smtp = connect("127.0.0.1", node)) {
                smtp.authenticated(user, password);
                assertThat(smtp.mailFrom(user).line()).as("message %s of %s on %s", i, user, node).isEqualTo(senderOk(user));
                assertThat(smtp.rcptTo(REMOTE).line()).isEqualTo(recipientOk(REMOTE));
                assertThat(smtp.data(TestMessages.message(user, REMOTE, TestMessages.uniqueSubject("cluster " + i))).line())
                    .isEqualTo(MESSAGE_ACCEPTED);
            }
        }
    }

    private static String messageLimit(int limit, String user, Instant windowStart) {
        return "451 4.7.1 Sending limit reached: at most " + limit + " messages per hour for " + user + "; try again after "
            + RESET_TIME.format(windowStart.plus(1, ChronoUnit.HOURS));
    }

    private static SmtpTestClient connect(String localAddress, JamesProcess node) throws IOException {
        return SmtpTestClient.connectFrom(localAddress, HOST, node.submissionPort());
    }

    private static String get(JamesProcess node, String path) throws Exception {
        HttpResponse<String> response = send(node, "GET", path);
        return response.statusCode() + " " + response.body();
    }

    private static HttpResponse<String> send(JamesProcess node, String method, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://" + HOST + ":" + node.webadminPort() + path))
            .method(method, HttpRequest.BodyPublishers.noBody())
            .timeout(Duration.ofSeconds(10))
            .build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The value of the James metric msa4james.redis.fallbacks, from webadmin's GET /metrics. */
    private static double fallbacks(JamesProcess node) throws Exception {
        String metrics = get(node, "/metrics");
        Matcher value = FALLBACK_METRIC.matcher(metrics);
        assertThat(value.find()).as(metrics).isTrue();
        return Double.parseDouble(value.group(1));
    }

    private static List<String> redisWarnings(String output) {
        return output.lines()
            .filter(line -> line.contains("[WARN ]") && line.contains("o.m.r.RedisGateway - "))
            .map(line -> line.substring(line.indexOf("o.m.r.RedisGateway - ") + "o.m.r.RedisGateway - ".length()))
            .collect(Collectors.toList());
    }

    private static String output(JamesProcess node) throws IOException {
        return Files.readString(node.output(), UTF_8);
    }

    /** Prints the end of both nodes' output when a test fails. */
    static class PrintNodeLogsOnFailure implements TestWatcher {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            for (JamesProcess node : new JamesProcess[] {nodeA, nodeB}) {
                if (node != null) {
                    System.err.println("---- end of the output of " + node + " ----\n" + node.outputTail());
                }
            }
        }
    }
}
