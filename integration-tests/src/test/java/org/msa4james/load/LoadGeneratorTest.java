package org.msa4james.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.msa4james.it.Fixtures.ALICE;
import static org.msa4james.it.Fixtures.PASSWORD;

import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.msa4james.it.ExpectedReplies;
import org.msa4james.it.Listener;
import org.msa4james.it.MsaJamesServer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The load generator against a real James on the shipped configuration, relaying to a
 * {@link NextHopServer}: small workloads that prove the counting, the TLS modes, the arrival check
 * and the report; no timing is asserted.
 */
class LoadGeneratorTest {

    private static final String REMOTE_RECIPIENT = "load@example.com";
    private static final Duration TIME_LIMIT = Duration.ofMinutes(2);

    private static NextHopServer nextHop;
    private static MsaJamesServer james;

    @BeforeAll
    static void startJames() throws Exception {
        nextHop = NextHopServer.start();
        try {
            james = MsaJamesServer.builder()
                .property("msa.relay.gateway", MsaJamesServer.LOOPBACK + ":" + nextHop.port())
                .build()
                .start();
        } catch (Exception | Error e) {
            nextHop.close();
            throw e;
        }
    }

    @AfterAll
    static void stopJames() {
        try {
            if (james != null) {
                james.stop();
            }
        } finally {
            nextHop.close();
        }
    }

    private static LoadSpec.Builder spec(Listener listener, TlsMode tls) {
        return LoadSpec.builder()
            .host(MsaJamesServer.LOOPBACK)
            .port(james.smtpPort(listener))
            .tls(tls)
            .credentials(ALICE, PASSWORD)
            .sender(ALICE)
            .recipient(REMOTE_RECIPIENT)
            .timeLimit(TIME_LIMIT);
    }

    @Test
    void reusedConnectionsOverStartTlsAreAllAcceptedAndRelayedOnce() throws Exception {
        LoadSpec spec = spec(Listener.SUBMISSION, TlsMode.STARTTLS)
            .connections(2)
            .totalMessages(20)
            .messageSize(2 * 1024)
            .connectionPerMessage(false)
            .build();

        LoadResult result = LoadGenerator.run(spec, nextHop);
        System.out.println(result.toJson());

        assertThat(result.sampleFailures()).isEmpty();
        assertThat(result.accepted()).isEqualTo(20);
        assertThat(result.refused()).isZero();
        assertThat(result.errors()).isZero();
        assertThat(result.unsent()).isZero();
        assertThat(result.arrived()).isEqualTo(result.accepted());
        assertThat(result.missingMessageIds()).isEmpty();
        assertThat(result.duplicates()).isZero();
        assertOrderedPercentiles(result);

        JsonNode json = new ObjectMapper().readTree(result.toJson());
        assertThat(json.get("target").asText()).isEqualTo(MsaJamesServer.LOOPBACK + ":" + james.smtpPort(Listener.SUBMISSION));
        assertThat(json.get("tls").asText()).isEqualTo("STARTTLS");
        assertThat(json.get("connections").asInt()).isEqualTo(2);
        assertThat(json.get("messages").asInt()).isEqualTo(20);
        assertThat(json.get("size").asInt()).isEqualTo(2048);
        assertThat(json.get("connectionPerMessage").asBoolean()).isFalse();
        assertThat(json.get("accepted").asInt()).isEqualTo(20);
        assertThat(json.get("arrived").asInt()).isEqualTo(20);
        assertThat(json.get("missing").asInt()).isZero();
        assertThat(json.get("msgsPerSecond").asDouble()).isPositive();
        assertThat(json.get("latencyMs").get("p99").asDouble()).isEqualTo(result.p99Millis(), org.assertj.core.data.Offset.offset(0.001));
    }

    @Test
    void oneConnectionPerMessageOverImplicitTlsAreAllAcceptedAndRelayedOnce() throws Exception {
        LoadSpec spec = spec(Listener.SUBMISSIONS, TlsMode.IMPLICIT)
            .connections(2)
            .totalMessages(6)
            .messageSize(1024)
            .connectionPerMessage(true)
            .build();

        LoadResult result = LoadGenerator.run(spec, nextHop);
        System.out.println(result.toJson());

        assertThat(result.sampleFailures()).isEmpty();
        assertThat(result.accepted()).isEqualTo(6);
        assertThat(result.refused()).isZero();
        assertThat(result.errors()).isZero();
        assertThat(result.arrived()).isEqualTo(result.accepted());
        assertThat(result.missingMessageIds()).isEmpty();
        assertThat(result.duplicates()).isZero();
        assertOrderedPercentiles(result);

        JsonNode json = new ObjectMapper().readTree(result.toJson());
        assertThat(json.get("tls").asText()).isEqualTo("IMPLICIT");
        assertThat(json.get("connectionPerMessage").asBoolean()).isTrue();
        assertThat(json.get("accepted").asInt()).isEqualTo(6);
        assertThat(json.get("duplicates").asInt()).isZero();
    }

    @Test
    void aWrongPasswordGetsNothingAcceptedAndTheFailuresShowThe535() throws Exception {
        LoadSpec spec = spec(Listener.SUBMISSION, TlsMode.STARTTLS)
            .credentials(ALICE, PASSWORD + "-wrong")
            .connections(2)
            .totalMessages(2)
            .messageSize(1024)
            .build();
        int receivedBefore = nextHop.received();

        LoadResult result = LoadGenerator.run(spec, nextHop);
        System.out.println(result.toJson());

        assertThat(result.accepted()).isZero();
        assertThat(result.refused()).isEqualTo(2);
        assertThat(result.errors()).isZero();
        assertThat(result.arrived()).isZero();
        assertThat(result.sampleFailures()).containsExactly(
            "AUTH: " + ExpectedReplies.AUTHENTICATION_FAILED,
            "AUTH: " + ExpectedReplies.AUTHENTICATION_FAILED);
        assertThat(Double.isNaN(result.p50Millis())).isTrue();
        assertThat(result.messagesPerSecond()).isZero();
        assertThat(nextHop.received()).isEqualTo(receivedBefore);

        JsonNode json = new ObjectMapper().readTree(result.toJson());
        assertThat(json.get("accepted").asInt()).isZero();
        assertThat(json.get("refused").asInt()).isEqualTo(2);
        assertThat(json.get("latencyMs").get("p50").isNull()).isTrue();
        assertThat(json.get("failures").get(0).asText()).isEqualTo("AUTH: " + ExpectedReplies.AUTHENTICATION_FAILED);
    }

    private static void assertOrderedPercentiles(LoadResult result) {
        assertThat(result.p50Millis()).isPositive();
        assertThat(result.p50Millis()).isLessThanOrEqualTo(result.p95Millis());
        assertThat(result.p95Millis()).isLessThanOrEqualTo(result.p99Millis());
        assertThat(result.p99Millis()).isLessThanOrEqualTo(result.maxMillis());
        assertThat(result.elapsed()).isPositive();
    }
}
