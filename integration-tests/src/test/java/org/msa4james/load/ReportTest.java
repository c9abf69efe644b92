package org.msa4james.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** The Markdown table, from made-up rounds. */
class ReportTest {
    private static final Scenario SCENARIO = Scenario.STANDARD.get(0);

    @Test
    void everyVariantHasItsCpuPerMessageAndPostfixItsRatioTables() {
        Map<BenchmarkVariant, List<LoadResult>> byVariant = new LinkedHashMap<>();
        byVariant.put(JamesVariant.MSA4JAMES, List.of(result(100, 2_000, 300), result(100, 2_000, 320), result(100, 2_000, 340)));
        byVariant.put(JamesVariant.MSA4JAMES_MEMORY, List.of(result(100, 1_000, 200)));
        byVariant.put(PostfixVariant.DISK, List.of(result(100, 1_000, 400), result(100, 1_000, 400), result(100, 1_000, 400)));
        byVariant.put(PostfixVariant.TMPFS, List.of(result(100, 500, 100)));

        String markdown = report(byVariant, List.of());

        assertThat(markdown).contains("| scenario | variant | msgs/s | p50 ms | p95 ms | p99 ms | CPU ms/msg |");
        // msa4james: 100 messages in 2 s = 50 msgs/s, median CPU 320 ms / 100 = 3.2 ms per message
        assertThat(markdown).contains("| " + SCENARIO.title + " | msa4james | 50.0 |").contains("| 3.200 | 300/0/0/0 |");
        assertThat(markdown).contains("| " + SCENARIO.title + " | postfix-disk | 100.0 |").contains("| 4.000 | 300/0/0/0 |");
        assertThat(markdown).contains("Postfix 3.7 with OpenDKIM, queue on disk (pd) and on a tmpfs (pt)");
        // a/pd: throughput 50/100, CPU 3.2/4.0; m/pt: throughput 100/200, CPU 2/1
        assertThat(markdown).contains("a/pd: msa4james persistent / postfix-disk\n\n| scenario | throughput a/pd | p99 a/pd | CPU/msg a/pd |")
            .contains("| " + SCENARIO.title + " | 0.500 | 1.000 | 0.800 |");
        assertThat(markdown).contains("m/pt: msa4james memory / postfix-tmpfs\n\n| scenario | throughput m/pt | p99 m/pt | CPU/msg m/pt |")
            .contains("| " + SCENARIO.title + " | 0.500 | 1.000 | 2.000 |");
        assertThat(markdown).doesNotContain("a/b", "Redis (r:");
    }

    @Test
    void withoutPostfixThereIsNoPostfixTextAndASkippedVariantIsSaid() {
        Map<BenchmarkVariant, List<LoadResult>> byVariant = new LinkedHashMap<>();
        byVariant.put(JamesVariant.MSA4JAMES, List.of(result(100, 2_000, 300)));
        byVariant.put(JamesVariant.PLAIN, List.of(result(100, 1_000, 250)));

        String markdown = report(byVariant, List.of("postfix-tmpfs skipped: cannot mount a tmpfs"));

        assertThat(markdown).doesNotContain("Postfix 3.7", "a/pd", "m/pt").contains("throughput a/b");
        assertThat(markdown).contains("Not run: postfix-tmpfs skipped: cannot mount a tmpfs");
    }

    @Test
    void theJvmLeversShouldHaveTheirOptionsAndRatiosAgainstTheShippedCollector() {
        Map<BenchmarkVariant, List<LoadResult>> byVariant = new LinkedHashMap<>();
        byVariant.put(JamesVariant.MSA4JAMES, List.of(result(100, 2_000, 300)));
        byVariant.put(JamesVariant.MSA4JAMES_G1, List.of(result(100, 2_500, 400)));
        byVariant.put(JamesVariant.MSA4JAMES_HEAP_128M, List.of(result(100, 4_000, 600)));

        String markdown = report(byVariant, List.of());

        assertThat(markdown).contains("James JVM options (MSA_JAVA_OPTS; bin/msa4james adds its collector when they name none): "
            + "`-Xms512m -Xmx512m`, but msa4james-g1 `-Xms512m -Xmx512m -XX:+UseG1GC`, msa4james-heap-128m `-Xms128m -Xmx128m`.");
        // a/a-g1: throughput 50/40, CPU 3/4; 128m/a: throughput 25/50, CPU 6/3
        assertThat(markdown).contains("| scenario | throughput a/a-g1 | p99 a/a-g1 | CPU/msg a/a-g1 |")
            .contains("| " + SCENARIO.title + " | 1.250 | 1.000 | 0.750 |");
        assertThat(markdown).contains("| scenario | throughput 128m/a | p99 128m/a | CPU/msg 128m/a |")
            .contains("| " + SCENARIO.title + " | 0.500 | 1.000 | 2.000 |");
        assertThat(markdown).doesNotContain("parallel/a", "heap/a");
    }

    private static String report(Map<BenchmarkVariant, List<LoadResult>> byVariant, List<String> skipped) {
        Map<Scenario, Map<BenchmarkVariant, List<LoadResult>>> results = new LinkedHashMap<>();
        results.put(SCENARIO, byVariant);
        return Report.markdown(SideBySideMain.Options.parse(new String[0]), results, new LinkedHashMap<>(), 200, "test machine", "0 0 0",
            "0 0 0", Duration.ofSeconds(61), skipped);
    }

    /** {@code accepted} messages in {@code millis}, each with a latency of 10 ms, and {@code cpuMillis} of server CPU. */
    private static LoadResult result(int accepted, long millis, long cpuMillis) {
        LoadSpec spec = SCENARIO.spec(new FixedServer());
        long[] latencies = new long[accepted];
        Arrays.fill(latencies, 10_000_000L);
        return new LoadResult(spec, accepted, 0, 0, 0, accepted, Set.of(), 0, Duration.ofMillis(millis), latencies, List.of())
            .withServerCpu(Duration.ofMillis(cpuMillis));
    }

    /** A participant that is never started. */
    private static final class FixedServer implements Participant {
        @Override
        public String name() {
            return "fixed";
        }

        @Override
        public String host() {
            return "127.0.0.1";
        }

        @Override
        public int submissionPort() {
            return 587;
        }

        @Override
        public String user() {
            return "alice@example.test";
        }

        @Override
        public String password() {
            return "secret";
        }

        @Override
        public boolean isAlive() {
            return true;
        }

        @Override
        public String outputTail() {
            return "";
        }

        @Override
        public Duration cpuTime() {
            return Duration.ZERO;
        }

        @Override
        public void close() {
        }
    }
}
