package org.msa4james.load;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The side-by-side table, in Markdown (printed and written as is). */
final class Report {
    private Report() {
    }

    /** One table of throughput, p99 and CPU-per-message ratios, numerator over denominator, when both variants ran. */
    private static void ratios(StringBuilder md, Map<Scenario, Map<BenchmarkVariant, List<LoadResult>>> results, String name,
                               BenchmarkVariant numerator, BenchmarkVariant denominator) {
        ratios(md, results, name, null, numerator, denominator);
    }

    /** As {@link #ratios(StringBuilder, Map, String, BenchmarkVariant, BenchmarkVariant)}, with a line saying what the short name means. */
    private static void ratios(StringBuilder md, Map<Scenario, Map<BenchmarkVariant, List<LoadResult>>> results, String name,
                               String caption, BenchmarkVariant numerator, BenchmarkVariant denominator) {
        if (results.values().stream().noneMatch(byVariant -> byVariant.containsKey(numerator) && byVariant.containsKey(denominator))) {
            return;
        }
        if (caption != null) {
            md.append(String.format(Locale.ROOT, "%n%s: %s%n", name, caption));
        }
        md.append(String.format(Locale.ROOT, "%n| scenario | throughput %s | p99 %s | CPU/msg %s |%n|---|---:|---:|---:|%n", name, name, name));
        for (Map.Entry<Scenario, Map<BenchmarkVariant, List<LoadResult>>> scenario : results.entrySet()) {
            List<LoadResult> top = scenario.getValue().get(numerator);
            List<LoadResult> bottom = scenario.getValue().get(denominator);
            if (top == null || bottom == null) {
                continue;
            }
            md.append(String.format(Locale.ROOT, "| %s | %.3f | %.3f | %.3f |%n", scenario.getKey().title,
                SideBySideMain.medianRatio(top, bottom, LoadResult::messagesPerSecond),
                SideBySideMain.medianRatio(top, bottom, LoadResult::p99Millis),
                SideBySideMain.medianRatio(top, bottom, LoadResult::serverCpuMillisPerMessage)));
        }
    }

    static String markdown(SideBySideMain.Options options, Map<Scenario, Map<BenchmarkVariant, List<LoadResult>>> results,
                           Map<BenchmarkVariant, List<Long>> heap, int sessions, String machine, String loadBefore, String loadAfter,
                           Duration took, List<String> skipped) {
        boolean postfix = results.values().stream().flatMap(byVariant -> byVariant.keySet().stream())
            .anyMatch(variant -> variant instanceof PostfixVariant);
        StringBuilder md = new StringBuilder();
        md.append("### Side by side: msa4james (a), on the memory server (m), with Redis (r), without DKIM (a'), a' with empty "
            + "mailet steps (a''), plain James (b); all but (m) on the persistent server")
            .append(postfix ? "; Postfix 3.7 with OpenDKIM, queue on disk (pd) and on a tmpfs (pt)" : "").append("\n\n");
        md.append("Machine: ").append(machine).append("; load average before ").append(loadBefore)
            .append(", after ").append(loadAfter).append(".\n");
        md.append(String.format(Locale.ROOT, "James JVM options (MSA_JAVA_OPTS; bin/msa4james adds its collector when they name none): `%s`%s. %d round(s) of every load on every variant "
            + "to warm up, then %d measured round(s) per scenario and variant after one more warm-up round each; rounds "
            + "interleaved. Total time: %dm%02ds.%n%n", options.javaOpts, ownJavaOpts(options.javaOpts, results), options.warmUpRounds, options.rounds,
            took.toMinutes(), took.toSecondsPart()));
        md.append("STARTTLS + AUTH PLAIN on the submission port, relayed to a fake next hop. msgs/s counts connection set-up, TLS "
            + "and AUTH; latency is MAIL FROM to the reply to the end of DATA. Values are medians over the rounds; "
            + "ratios are the median of the per-round ratios (round i of a over round i of b). CPU ms/msg: CPU time (user + system) "
            + "of all the server's processes during the round (the James JVM; Postfix's master and every process it forked, "
            + "those that exited included, and opendkim), from /proc/<pid>/stat before and after the round, divided by the "
            + "accepted messages: connections, TLS, AUTH and relaying to the next hop included.\n\n");
        if (postfix) {
            md.append("Postfix (Debian's postfix, opendkim, Cyrus SASL sasldb): its own config directory, submission service with "
                + "smtpd_tls_security_level=encrypt, AUTH PLAIN/LOGIN, relay for authenticated clients only, sender checked "
                + "against the login, every message signed by OpenDKIM (milter; relaxed/relaxed, RSA 2048, the fields msa4james "
                + "signs) and relayed to the same next hop. Same client, user, messages and next hop as the James variants.\n\n");
        }
        for (String reason : skipped) {
            md.append("Not run: ").append(reason).append("\n\n");
        }

        md.append("| scenario | variant | msgs/s | p50 ms | p95 ms | p99 ms | CPU ms/msg | accepted/refused/errors/missing (all rounds) |\n");
        md.append("|---|---|---:|---:|---:|---:|---:|---|\n");
        for (Map.Entry<Scenario, Map<BenchmarkVariant, List<LoadResult>>> scenario : results.entrySet()) {
            for (Map.Entry<BenchmarkVariant, List<LoadResult>> variant : scenario.getValue().entrySet()) {
                List<LoadResult> rounds = variant.getValue();
                md.append(String.format(Locale.ROOT, "| %s | %s | %.1f | %.2f | %.2f | %.2f | %.3f | %d/%d/%d/%d |%n",
                    scenario.getKey().title, variant.getKey().variantName(),
                    SideBySideMain.median(rounds, LoadResult::messagesPerSecond),
                    SideBySideMain.median(rounds, LoadResult::p50Millis),
                    SideBySideMain.median(rounds, LoadResult::p95Millis),
                    SideBySideMain.median(rounds, LoadResult::p99Millis),
                    SideBySideMain.median(rounds, LoadResult::serverCpuMillisPerMessage),
                    rounds.stream().mapToInt(LoadResult::accepted).sum(),
                    rounds.stream().mapToInt(LoadResult::refused).sum(),
                    rounds.stream().mapToInt(LoadResult::errors).sum(),
                    rounds.stream().mapToInt(LoadResult::missing).sum()));
            }
        }

        ratios(md, results, "a/b", JamesVariant.MSA4JAMES, JamesVariant.PLAIN);
        ratios(md, results, "a'/b", JamesVariant.MSA4JAMES_NODKIM, JamesVariant.PLAIN);
        ratios(md, results, "a''/b", JamesVariant.MSA4JAMES_EMPTY_STEPS, JamesVariant.PLAIN);
        ratios(md, results, "a/m (persistent/memory)", JamesVariant.MSA4JAMES, JamesVariant.MSA4JAMES_MEMORY);
        ratios(md, results, "a/pd", "msa4james persistent / postfix-disk", JamesVariant.MSA4JAMES, PostfixVariant.DISK);
        ratios(md, results, "m/pt", "msa4james memory / postfix-tmpfs", JamesVariant.MSA4JAMES_MEMORY, PostfixVariant.TMPFS);
        ratios(md, results, "a/a-cache", "msa4james / msa4james without the AUTH cache", JamesVariant.MSA4JAMES,
            JamesVariant.MSA4JAMES_NO_AUTH_CACHE);
        ratios(md, results, "a/a-rsa", "msa4james (ECDSA and RSA keys) / msa4james with the RSA key only", JamesVariant.MSA4JAMES,
            JamesVariant.MSA4JAMES_RSA_ONLY);
        ratios(md, results, "a/a-spill", "msa4james (512KiB in memory) / msa4james with James's 100KiB threshold",
            JamesVariant.MSA4JAMES, JamesVariant.MSA4JAMES_SPILL);
        ratios(md, results, "a/a-jdk", "msa4james (signatures by BoringSSL) / msa4james with signatures by the JDK", JamesVariant.MSA4JAMES,
            JamesVariant.MSA4JAMES_JDK_SIGNATURES);
        ratios(md, results, "heap/a", "msa4james with the heap the JVM sizes / msa4james with -Xms512m -Xmx512m",
            JamesVariant.MSA4JAMES_DEFAULT_HEAP, JamesVariant.MSA4JAMES);
        ratios(md, results, "a/a-g1", "msa4james (the collector bin/msa4james chooses) / msa4james with G1", JamesVariant.MSA4JAMES,
            JamesVariant.MSA4JAMES_G1);
        ratios(md, results, "parallel/a", "msa4james with the parallel collector / msa4james (the collector bin/msa4james chooses)",
            JamesVariant.MSA4JAMES_PARALLEL_GC, JamesVariant.MSA4JAMES);
        ratios(md, results, "threads/a", "msa4james with fewer threads (4 spool, 4 delivery, 2 IO and 4 handler threads per listener) / msa4james",
            JamesVariant.MSA4JAMES_FEW_THREADS, JamesVariant.MSA4JAMES);
        ratios(md, results, "128m/a", "msa4james with a 128 MiB heap / msa4james with 512 MiB", JamesVariant.MSA4JAMES_HEAP_128M,
            JamesVariant.MSA4JAMES);

        // Redis (r) against the same server without it (a), when both ran
        boolean redis = results.values().stream()
            .anyMatch(byVariant -> byVariant.containsKey(JamesVariant.MSA4JAMES) && byVariant.containsKey(JamesVariant.MSA4JAMES_REDIS));
        if (redis) {
            md.append("\nRedis (r: the abuse counters and client diagnostics in a local redis-server, MSA_REDIS_URL) against the same "
                + "server without it (a). MAIL and RCPT: from writing the command to its reply, accepted messages; \"added\" is r's "
                + "median minus a's.\n\n");
            md.append("| scenario | throughput r/a | p99 r/a | MAIL p50 ms a / r (added) | MAIL p99 ms a / r | RCPT p50 ms a / r (added) "
                + "| RCPT p99 ms a / r |\n");
            md.append("|---|---:|---:|---|---|---|---|\n");
            for (Map.Entry<Scenario, Map<BenchmarkVariant, List<LoadResult>>> scenario : results.entrySet()) {
                List<LoadResult> a = scenario.getValue().get(JamesVariant.MSA4JAMES);
                List<LoadResult> r = scenario.getValue().get(JamesVariant.MSA4JAMES_REDIS);
                if (a == null || r == null) {
                    continue;
                }
                md.append(String.format(Locale.ROOT, "| %s | %.3f | %.3f | %s | %s | %s | %s |%n", scenario.getKey().title,
                    SideBySideMain.medianRatio(r, a, LoadResult::messagesPerSecond),
                    SideBySideMain.medianRatio(r, a, LoadResult::p99Millis),
                    added(a, r, result -> result.mailMillis(50)), pair(a, r, result -> result.mailMillis(99)),
                    added(a, r, result -> result.rcptMillis(50)), pair(a, r, result -> result.rcptMillis(99))));
            }
        }

        if (!heap.isEmpty()) {
            md.append(String.format(Locale.ROOT, "%nHeap retained per idle authenticated session (STARTTLS + AUTH PLAIN, %d sessions open; "
                + "live heap after a full GC, jcmd GC.class_histogram, after minus before, divided by %d):%n%n", sessions, sessions));
            md.append("| variant | bytes per session (median) | measurements |\n|---|---:|---|\n");
            for (Map.Entry<BenchmarkVariant, List<Long>> variant : heap.entrySet()) {
                md.append(String.format(Locale.ROOT, "| %s | %d | %s |%n", variant.getKey().variantName(),
                    IdleSessionHeap.median(variant.getValue()), variant.getValue()));
            }
            if (heap.containsKey(JamesVariant.MSA4JAMES) && heap.containsKey(JamesVariant.PLAIN)) {
                long a = IdleSessionHeap.median(heap.get(JamesVariant.MSA4JAMES));
                long b = IdleSessionHeap.median(heap.get(JamesVariant.PLAIN));
                md.append(String.format(Locale.ROOT, "%nmsa4james minus plain: %d bytes per idle session.%n", a - b));
            }
        }
        return md.toString();
    }

    /** ", but name: `options`" for each James variant of the run that runs with JVM options of its own (the JVM levers). */
    static String ownJavaOpts(String javaOpts, Map<Scenario, Map<BenchmarkVariant, List<LoadResult>>> results) {
        return results.values().stream()
            .flatMap(byVariant -> byVariant.keySet().stream())
            .distinct()
            .filter(variant -> variant instanceof JamesVariant && !((JamesVariant) variant).javaOpts(javaOpts).equals(javaOpts))
            .map(variant -> String.format(Locale.ROOT, "%s `%s`", variant.variantName(), ((JamesVariant) variant).javaOpts(javaOpts)))
            .reduce((first, second) -> first + ", " + second)
            .map(levers -> ", but " + levers)
            .orElse("");
    }

    /** "a / r (+d)": the medians over the rounds and r's minus a's. */
    private static String added(List<LoadResult> a, List<LoadResult> r, java.util.function.ToDoubleFunction<LoadResult> value) {
        double withoutRedis = SideBySideMain.median(a, value);
        double withRedis = SideBySideMain.median(r, value);
        return String.format(Locale.ROOT, "%.3f / %.3f (%+.3f)", withoutRedis, withRedis, withRedis - withoutRedis);
    }

    /** "a / r": the medians over the rounds. */
    private static String pair(List<LoadResult> a, List<LoadResult> r, java.util.function.ToDoubleFunction<LoadResult> value) {
        return String.format(Locale.ROOT, "%.3f / %.3f", SideBySideMain.median(a, value), SideBySideMain.median(r, value));
    }
}
