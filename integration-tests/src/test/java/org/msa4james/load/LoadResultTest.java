package org.msa4james.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

class LoadResultTest {

    private static final LoadSpec SPEC = LoadSpec.builder()
        .host("127.0.0.1")
        .port(587)
        .tls(TlsMode.STARTTLS)
        .credentials("alice@example.test", "secret")
        .sender("alice@example.test")
        .recipient("load@example.com")
        .connections(2)
        .totalMessages(10)
        .messageSize(1024)
        .build();

    private static long[] millisToNanos(long... millis) {
        return LongStream.of(millis).map(m -> m * 1_000_000).toArray();
    }

    @Test
    void percentilesAreNearestRank() {
        long[] hundred = LongStream.rangeClosed(1, 100).map(m -> m * 1_000_000).toArray();
        assertThat(LoadResult.percentileMillis(hundred, 50)).isEqualTo(50.0);
        assertThat(LoadResult.percentileMillis(hundred, 95)).isEqualTo(95.0);
        assertThat(LoadResult.percentileMillis(hundred, 99)).isEqualTo(99.0);
        assertThat(LoadResult.percentileMillis(hundred, 100)).isEqualTo(100.0);

        long[] five = millisToNanos(10, 20, 30, 40, 50);
        assertThat(LoadResult.percentileMillis(five, 50)).isEqualTo(30.0);
        assertThat(LoadResult.percentileMillis(five, 95)).isEqualTo(50.0);
        assertThat(LoadResult.percentileMillis(five, 20)).isEqualTo(10.0);
        assertThat(LoadResult.percentileMillis(five, 21)).isEqualTo(20.0);

        assertThat(LoadResult.percentileMillis(millisToNanos(7), 50)).isEqualTo(7.0);
        assertThat(LoadResult.percentileMillis(new long[] {1_500_000}, 99)).isEqualTo(1.5);
        assertThat(LoadResult.percentileMillis(new long[0], 50)).isNaN();
        assertThatThrownBy(() -> LoadResult.percentileMillis(five, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theResultSortsTheLatenciesItIsGiven() {
        LoadResult result = new LoadResult(SPEC, 4, 0, 0, 0, 4, Set.of(), 0, Duration.ofSeconds(2),
            millisToNanos(40, 10, 30, 20), List.of());

        assertThat(result.p50Millis()).isEqualTo(20.0);
        assertThat(result.p95Millis()).isEqualTo(40.0);
        assertThat(result.maxMillis()).isEqualTo(40.0);
        assertThat(result.messagesPerSecond()).isEqualTo(2.0);
    }

    @Test
    void jsonStringsEscapeQuotesBackslashesAndControlCharacters() {
        assertThat(LoadResult.jsonString("plain")).isEqualTo("\"plain\"");
        assertThat(LoadResult.jsonString("say \"hi\"")).isEqualTo("\"say \\\"hi\\\"\"");
        assertThat(LoadResult.jsonString("C:\\dir")).isEqualTo("\"C:\\\\dir\"");
        assertThat(LoadResult.jsonString("a\r\nb\tc")).isEqualTo("\"a\\r\\nb\\tc\"");
        assertThat(LoadResult.jsonString("\u0000\u001f\b\f")).isEqualTo("\"\\u0000\\u001f\\b\\f\"");
        assertThat(LoadResult.jsonString("caf\u00e9 \u2028")).isEqualTo("\"caf\u00e9 \\u2028\"");
    }

    @Test
    void theJsonLineIsOneLineThatAJsonParserReadsBack() throws Exception {
        LoadResult result = new LoadResult(SPEC, 8, 1, 1, 0, 7, Set.of("<lost@example.test>"), 1, Duration.ofMillis(3210),
            millisToNanos(5, 6, 7, 8, 9, 10, 11, 60), List.of("end of DATA: 554 5.6.0 \"bad\"\r\nmessage", "IO: java.io.IOException: \\"),
            new LoadResult.CommandLatencies(millisToNanos(3, 1, 2, 1, 1, 1, 1, 9), millisToNanos(1, 1, 1, 2, 1, 1, 1, 4)));

        String line = result.toJson();

        assertThat(line).doesNotContain("\n", "\r");
        JsonNode json = new ObjectMapper().readTree(line);
        assertThat(json.get("target").asText()).isEqualTo("127.0.0.1:587");
        assertThat(json.get("tls").asText()).isEqualTo("STARTTLS");
        assertThat(json.get("connections").asInt()).isEqualTo(2);
        assertThat(json.get("messages").asInt()).isEqualTo(10);
        assertThat(json.get("size").asInt()).isEqualTo(1024);
        assertThat(json.get("connectionPerMessage").asBoolean()).isFalse();
        assertThat(json.get("accepted").asInt()).isEqualTo(8);
        assertThat(json.get("refused").asInt()).isEqualTo(1);
        assertThat(json.get("errors").asInt()).isEqualTo(1);
        assertThat(json.get("arrived").asInt()).isEqualTo(7);
        assertThat(json.get("missing").asInt()).isEqualTo(1);
        assertThat(json.get("duplicates").asInt()).isEqualTo(1);
        assertThat(json.get("seconds").asDouble()).isEqualTo(3.21);
        assertThat(json.get("msgsPerSecond").asDouble()).isEqualTo(2.5);
        assertThat(json.get("latencyMs").get("p50").asDouble()).isEqualTo(8.0);
        assertThat(json.get("latencyMs").get("p95").asDouble()).isEqualTo(60.0);
        assertThat(json.get("latencyMs").get("max").asDouble()).isEqualTo(60.0);
        assertThat(json.get("mailMs").get("p50").asDouble()).isEqualTo(1.0);
        assertThat(json.get("mailMs").get("p99").asDouble()).isEqualTo(9.0);
        assertThat(json.get("rcptMs").get("p50").asDouble()).isEqualTo(1.0);
        assertThat(json.get("rcptMs").get("p99").asDouble()).isEqualTo(4.0);
        assertThat(json.get("failures").get(0).asText()).isEqualTo("end of DATA: 554 5.6.0 \"bad\"\r\nmessage");
        assertThat(json.get("failures").get(1).asText()).isEqualTo("IO: java.io.IOException: \\");
    }

    @Test
    void theServerCpuIsPerAcceptedMessageAndInTheJsonLine() throws Exception {
        LoadResult result = new LoadResult(SPEC, 8, 1, 1, 0, 8, Set.of(), 0, Duration.ofMillis(3210), millisToNanos(5, 6, 7, 8, 9, 10, 11, 60),
            List.of());

        assertThat(result.serverCpuMillis()).isNaN();
        assertThat(result.serverCpuMillisPerMessage()).isNaN();
        JsonNode unmeasured = new ObjectMapper().readTree(result.toJson());
        assertThat(unmeasured.get("serverCpuMs").isNull()).isTrue();
        assertThat(unmeasured.get("serverCpuMsPerMsg").isNull()).isTrue();

        LoadResult measured = result.withServerCpu(Duration.ofMillis(20));

        assertThat(measured.serverCpuMillis()).isEqualTo(20.0);
        assertThat(measured.serverCpuMillisPerMessage()).isEqualTo(2.5);
        assertThat(measured.accepted()).isEqualTo(8);
        assertThat(measured.p99Millis()).isEqualTo(result.p99Millis());
        JsonNode json = new ObjectMapper().readTree(measured.toJson());
        assertThat(json.get("serverCpuMs").asDouble()).isEqualTo(20.0);
        assertThat(json.get("serverCpuMsPerMsg").asDouble()).isEqualTo(2.5);

        LoadResult nothingAccepted = new LoadResult(SPEC, 0, 10, 0, 0, 0, Set.of(), 0, Duration.ZERO, new long[0], List.of())
            .withServerCpu(Duration.ofMillis(20));
        assertThat(nothingAccepted.serverCpuMillisPerMessage()).isNaN();
    }
}
