package org.msa4james.load;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.msa4james.redis.RedisServerProcess;

/**
 * The side-by-side benchmark: one server per variant (all started once and alive together), one fake next hop they all
 * relay to, one local redis-server for the variant that uses Redis. A variant is a {@link JamesVariant} (a James from
 * the assembled home, all with the same JVM options) or, when named with {@code --variants}, a {@link PostfixVariant}
 * (Debian's Postfix with OpenDKIM, {@link PostfixProcess}). First W rounds of every load on every variant to warm the JIT
 * up (not counted), then for each {@link Scenario#STANDARD} load a warm-up round on each variant (not counted) and R
 * measured rounds, interleaved (the order is reversed every other round and rotated every two, see {@link #roundOrder}),
 * each a {@link LoadGenerator#run} on the STARTTLS submission port, with the CPU time of all the server's processes
 * sampled before and after it ({@link Participant#cpuTime()}). Then the heap retained per idle authenticated session
 * ({@link IdleSessionHeap}), James variants only.
 *
 * <p>Prints each round's JSON line prefixed with the variant, then the table of medians and ratios; writes the table
 * (Markdown) and every JSON line to the output directory (system property load.out, by default target/load). It
 * measures and reports only: no result makes it fail.</p>
 *
 * <p>Options: {@code --rounds N} (or -Drounds=N; default 3), {@code --warm-up-rounds N} (or -DwarmUpRounds=N; default
 * 3), {@code --sessions N} (idle sessions, default 200),
 * {@code --heap-repeats N} (default 3), {@code --java-opts "..."} (James's JVM options, default
 * {@value JamesProcess#DEFAULT_JAVA_OPTS}), {@code --no-heap}, {@code --variants msa4james,msa4james-memory} (a part
 * of the variants, by name; default all the James variants; {@code postfix-disk} and {@code postfix-tmpfs} only when
 * named). The Postfix variants keep their files in a private directory next to the output directory (target/postfix),
 * deleted at the end; {@code postfix-tmpfs} is skipped, with the reason printed, when no tmpfs can be mounted.</p>
 */
public final class SideBySideMain {
    static final String REMOTE_RECIPIENT = "bob@example.com";
    private static final int MAX_ROUNDS = 50;
    /** Every James variant, in the order of the first round; the default of {@code --variants}. */
    static final List<JamesVariant> ALL = List.of(JamesVariant.MSA4JAMES, JamesVariant.MSA4JAMES_MEMORY, JamesVariant.MSA4JAMES_REDIS,
        JamesVariant.MSA4JAMES_NODKIM, JamesVariant.MSA4JAMES_EMPTY_STEPS, JamesVariant.PLAIN);

    private SideBySideMain() {
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        Path out = Path.of(System.getProperty("load.out", "target/load")).toAbsolutePath();
        boolean anyJames = options.variants.stream().anyMatch(variant -> variant instanceof JamesVariant);
        Path home = anyJames ? JamesProcess.assembledHome() : null;
        if (options.variants.stream().anyMatch(variant -> variant instanceof PostfixVariant)) {
            PostfixProcess.requireInstalled();
        }
        Files.createDirectories(out);
        Path jsonLines = out.resolve("side-by-side.jsonl");
        Path markdown = out.resolve("side-by-side.md");
        Files.deleteIfExists(jsonLines);

        Instant started = Instant.now();
        String machineBefore = Machine.describe();
        String loadBefore = Machine.loadAverage();
        System.out.println("side-by-side benchmark: " + options.rounds + " measured round(s) per scenario and variant; " + machineBefore);
        System.out.println("load average before: " + loadBefore);

        Resources resources = new Resources();
        Thread hook = new Thread(resources::close, "side-by-side-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            NextHopServer nextHop = resources.nextHop(NextHopServer.start());
            // a redis-server only for a variant that uses one (redis-server need not be installed otherwise)
            RedisServerProcess redis = null;
            if (options.variants.stream().anyMatch(variant -> variant instanceof JamesVariant && ((JamesVariant) variant).usesRedis())) {
                redis = resources.redis(RedisServerProcess.startNew());
                System.out.println("started redis-server at " + redis.url() + " for " + JamesVariant.MSA4JAMES_REDIS.variantName());
            }
            Map<BenchmarkVariant, Participant> servers = new LinkedHashMap<>();
            List<String> skipped = new ArrayList<>();
            for (BenchmarkVariant variant : options.variants) {
                Participant server;
                if (variant instanceof JamesVariant) {
                    JamesVariant james = (JamesVariant) variant;
                    server = resources.participant(JamesProcess.start(james, home, nextHop.port(), options.javaOpts,
                        environment(james, redis)));
                } else {
                    try {
                        PostfixProcess postfix = PostfixProcess.start((PostfixVariant) variant, out.resolveSibling("postfix"), nextHop.port(),
                            resources::participant);
                        postfix.requireSigning(nextHop);
                        System.out.println(variant.variantName() + ": a test message reached the next hop DKIM-signed");
                        server = postfix;
                    } catch (PostfixProcess.TmpfsUnavailableException e) {
                        String reason = variant.variantName() + " skipped: " + e.getMessage();
                        System.out.println(reason);
                        skipped.add(reason);
                        continue;
                    }
                }
                servers.put(variant, server);
                System.out.println("started " + server + ": " + variant.description());
            }
            List<BenchmarkVariant> variants = new ArrayList<>(servers.keySet());
            if (variants.isEmpty()) {
                throw new IllegalStateException("no variant left to run: " + skipped);
            }

            // The JIT needs thousands of messages before a James runs at its speed, and a variant with more code
            // takes longer: measured rounds that are still warming up would count that against it.
            System.out.println("== warm-up: " + options.warmUpRounds + " round(s) of every load on every variant, not counted");
            for (int round = 0; round < options.warmUpRounds; round++) {
                for (Scenario scenario : Scenario.STANDARD) {
                    for (BenchmarkVariant variant : variants) {
                        report(jsonLines, variant, scenario, "jit-warm-up-" + (round + 1), run(scenario, servers.get(variant), nextHop));
                    }
                }
            }
            Map<Scenario, Map<BenchmarkVariant, List<LoadResult>>> results = new LinkedHashMap<>();
            for (Scenario scenario : Scenario.STANDARD) {
                System.out.println();
                System.out.println("== " + scenario.title);
                Map<BenchmarkVariant, List<LoadResult>> byVariant = new LinkedHashMap<>();
                for (BenchmarkVariant variant : variants) {
                    byVariant.put(variant, new ArrayList<>());
                    LoadResult warmUp = run(scenario, servers.get(variant), nextHop);
                    report(jsonLines, variant, scenario, "warm-up", warmUp);
                }
                for (int round = 0; round < options.rounds; round++) {
                    for (BenchmarkVariant variant : roundOrder(variants, round)) {
                        LoadResult result = run(scenario, servers.get(variant), nextHop);
                        byVariant.get(variant).add(result);
                        report(jsonLines, variant, scenario, String.valueOf(round + 1), result);
                    }
                }
                results.put(scenario, byVariant);
            }

            Map<BenchmarkVariant, List<Long>> heap = new LinkedHashMap<>();
            if (options.heapRepeats > 0) {
                IdleSessionHeap idle = new IdleSessionHeap(options.sessions);
                System.out.println();
                System.out.println("== heap per idle authenticated session, " + options.sessions + " sessions open (James variants)");
                for (BenchmarkVariant variant : variants) {
                    if (servers.get(variant) instanceof JamesProcess) {
                        List<Long> bytes = idle.measure((JamesProcess) servers.get(variant), options.heapRepeats);
                        heap.put(variant, bytes);
                        System.out.println(variant.variantName() + " bytes per session: " + bytes);
                    }
                }
            }

            String loadAfter = Machine.loadAverage();
            Duration took = Duration.between(started, Instant.now());
            String table = Report.markdown(options, results, heap, options.sessions, machineBefore, loadBefore, loadAfter, took, skipped);
            System.out.println();
            System.out.println(table);
            Files.writeString(markdown, table, UTF_8);
            System.out.println("written: " + markdown + " and " + jsonLines);
        } finally {
            resources.close();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // already shutting down: the hook runs (and finds everything closed)
            }
        }
    }

    /** MSA_REDIS_URL naming {@code redis} for a variant that uses Redis; nothing for the others. */
    static Map<String, String> environment(JamesVariant variant, RedisServerProcess redis) {
        return variant.usesRedis() ? Map.of("MSA_REDIS_URL", redis.url()) : Map.of();
    }

    /** With a, a', a'', b: round 0: a, a', a'', b; round 1: b, a'', a', a; round 2: a', a'', b, a; round 3: a, b, a'', a'; ... */
    static <T> List<T> roundOrder(List<T> variants, int round) {
        List<T> order = new ArrayList<>(variants);
        Collections.rotate(order, -(round / 2) % order.size());
        if (round % 2 == 1) {
            Collections.reverse(order);
        }
        return order;
    }

    /** One round: the load, with the server's CPU time (all its processes) sampled before and after it. */
    private static LoadResult run(Scenario scenario, Participant server, NextHopServer nextHop) throws IOException {
        if (!server.isAlive()) {
            throw new IOException(server + " is no longer running:\n" + server.outputTail());
        }
        nextHop.reset();
        LoadSpec spec = scenario.spec(server);
        Duration cpuBefore = server.cpuTime();
        LoadResult result = LoadGenerator.run(spec, nextHop);
        Duration cpuAfter = server.cpuTime();
        return result.withServerCpu(cpuAfter.minus(cpuBefore));
    }

    private static void report(Path jsonLines, BenchmarkVariant variant, Scenario scenario, String round, LoadResult result) throws IOException {
        System.out.println(variant.variantName() + " " + result.toJson());
        String line = "{\"variant\":\"" + variant.variantName() + "\",\"scenario\":\"" + scenario.key + "\",\"round\":\"" + round
            + "\",\"result\":" + result.toJson() + "}\n";
        Files.writeString(jsonLines, line, UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    static double median(List<LoadResult> results, ToDoubleFunction<LoadResult> value) {
        List<Double> values = new ArrayList<>();
        for (LoadResult result : results) {
            values.add(value.applyAsDouble(result));
        }
        return medianOf(values);
    }

    static double medianOf(List<Double> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** The median of the per-round ratios numerator/denominator (rounds paired by index). */
    static double medianRatio(List<LoadResult> numerator, List<LoadResult> denominator, ToDoubleFunction<LoadResult> value) {
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < Math.min(numerator.size(), denominator.size()); i++) {
            ratios.add(value.applyAsDouble(numerator.get(i)) / value.applyAsDouble(denominator.get(i)));
        }
        return medianOf(ratios);
    }

    /** Everything started, closed once, by the finally block or by the shutdown hook on Ctrl-C. */
    private static final class Resources {
        private final List<Participant> processes = new ArrayList<>();
        private NextHopServer nextHop;
        private RedisServerProcess redis;
        private boolean closed;

        synchronized RedisServerProcess redis(RedisServerProcess server) {
            this.redis = server;
            if (closed) {
                server.close();
            }
            return server;
        }

        synchronized NextHopServer nextHop(NextHopServer server) {
            this.nextHop = server;
            if (closed) {
                server.close();
            }
            return server;
        }

        /** Registers a server to stop (at once, when everything is being closed already). */
        synchronized <P extends Participant> P participant(P process) {
            processes.add(process);
            if (closed) {
                process.close();
            }
            return process;
        }

        synchronized void close() {
            if (closed) {
                return;
            }
            closed = true;
            for (Participant process : processes) {
                try {
                    process.close();
                } catch (RuntimeException e) {
                    System.err.println("could not stop " + process + ": " + e);
                }
            }
            if (nextHop != null) {
                try {
                    nextHop.close();
                } catch (RuntimeException e) {
                    System.err.println("could not stop the next hop: " + e);
                }
            }
            if (redis != null) {
                try {
                    redis.close();
                } catch (RuntimeException e) {
                    System.err.println("could not stop redis-server: " + e);
                }
            }
        }
    }

    /** Command-line options (and -Drounds). */
    static final class Options {
        int rounds = Integer.getInteger("rounds", 3);
        int warmUpRounds = Integer.getInteger("warmUpRounds", 3);
        int sessions = 200;
        int heapRepeats = 3;
        String javaOpts = JamesProcess.DEFAULT_JAVA_OPTS;
        List<BenchmarkVariant> variants = List.copyOf(ALL);

        static Options parse(String[] args) {
            Options options = new Options();
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                switch (arg) {
                    case "--rounds":
                        options.rounds = Integer.parseInt(value(args, ++i, arg));
                        break;
                    case "--warm-up-rounds":
                        options.warmUpRounds = Integer.parseInt(value(args, ++i, arg));
                        break;
                    case "--sessions":
                        options.sessions = Integer.parseInt(value(args, ++i, arg));
                        break;
                    case "--heap-repeats":
                        options.heapRepeats = Integer.parseInt(value(args, ++i, arg));
                        break;
                    case "--no-heap":
                        options.heapRepeats = 0;
                        break;
                    case "--java-opts":
                        options.javaOpts = value(args, ++i, arg);
                        break;
                    case "--variants":
                        options.variants = Arrays.stream(value(args, ++i, arg).split(","))
                            .map(String::trim)
                            .map(SideBySideMain::variantByName)
                            .distinct()
                            .collect(Collectors.toList());
                        break;
                    default:
                        if (arg.matches("\\d+")) {
                            options.rounds = Integer.parseInt(arg);
                        } else if (!arg.isBlank()) {
                            throw new IllegalArgumentException("unknown option '" + arg
                                + "'; options: --rounds N, --warm-up-rounds N, --sessions N, --heap-repeats N, --no-heap, "
                                + "--java-opts \"...\", --variants name,name,...");
                        }
                }
            }
            if (options.rounds < 1 || options.rounds > MAX_ROUNDS) {
                throw new IllegalArgumentException("rounds must be 1 to " + MAX_ROUNDS + ", not " + options.rounds);
            }
            if (options.warmUpRounds < 0 || options.warmUpRounds > MAX_ROUNDS) {
                throw new IllegalArgumentException("warm-up rounds must be 0 to " + MAX_ROUNDS + ", not " + options.warmUpRounds);
            }
            if (options.heapRepeats < 0 || options.heapRepeats > 20) {
                throw new IllegalArgumentException("heap repeats must be 0 to 20, not " + options.heapRepeats);
            }
            return options;
        }

        private static String value(String[] args, int index, String option) {
            if (index >= args.length) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return args[index];
        }
    }

    /** A James variant or a Postfix variant, by its name. */
    static BenchmarkVariant variantByName(String name) {
        Optional<PostfixVariant> postfix = PostfixVariant.find(name);
        if (postfix.isPresent()) {
            return postfix.get();
        }
        try {
            return JamesVariant.byName(name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown variant '" + name + "'; one of "
                + Stream.concat(Arrays.stream(JamesVariant.values()), Arrays.stream(PostfixVariant.values()))
                    .map(BenchmarkVariant::variantName).collect(Collectors.joining(", ")), e);
        }
    }

    /** The machine the numbers come from. */
    static final class Machine {
        private Machine() {
        }

        static String describe() {
            return String.format(Locale.ROOT, "%d CPUs, %s %s (%s), %s %s", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.vm.name"), System.getProperty("java.runtime.version"), System.getProperty("java.vm.vendor"),
                System.getProperty("os.name"), System.getProperty("os.arch"));
        }

        static String loadAverage() {
            try {
                String[] fields = Files.readString(Path.of("/proc/loadavg"), UTF_8).trim().split("\\s+");
                return fields[0] + " " + fields[1] + " " + fields[2];
            } catch (IOException | RuntimeException e) {
                return "unknown";
            }
        }
    }
}
