package org.msa4james.load;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.msa4james.redis.RedisServerProcess;

/**
 * One ad-hoc load run against one variant: starts a fake next hop and one James ({@link JamesProcess}), runs
 * {@link LoadGenerator#run} once, prints the JSON line, stops everything (also on Ctrl-C).
 *
 * <p>Options: {@code --variant msa4james|msa4james-redis|msa4james-nodkim|msa4james-empty-steps|plain} (default
 * msa4james; msa4james-redis also starts a local redis-server), {@code --connections N} (4),
 * {@code --messages N} (1000), {@code --size 1KiB|100KiB|2MiB|bytes} (1KiB), {@code --per-message} (a new connection
 * for each message), {@code --implicit-tls} (the implicit TLS port instead of STARTTLS), {@code --java-opts "..."}.</p>
 */
public final class LoadRunMain {
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(B|KiB|MiB|K|M)?", Pattern.CASE_INSENSITIVE);

    private static boolean stopped;

    private LoadRunMain() {
    }

    public static void main(String[] args) throws Exception {
        JamesVariant variant = JamesVariant.MSA4JAMES;
        int connections = 4;
        int messages = 1_000;
        int size = Scenario.KIB;
        boolean perMessage = false;
        TlsMode tls = TlsMode.STARTTLS;
        String javaOpts = JamesProcess.DEFAULT_JAVA_OPTS;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--variant":
                    variant = JamesVariant.byName(value(args, ++i));
                    break;
                case "--connections":
                    connections = Integer.parseInt(value(args, ++i));
                    break;
                case "--messages":
                    messages = Integer.parseInt(value(args, ++i));
                    break;
                case "--size":
                    size = parseSize(value(args, ++i));
                    break;
                case "--per-message":
                    perMessage = true;
                    break;
                case "--implicit-tls":
                    tls = TlsMode.IMPLICIT;
                    break;
                case "--java-opts":
                    javaOpts = value(args, ++i);
                    break;
                default:
                    throw new IllegalArgumentException("unknown option '" + args[i] + "'; options: --variant NAME, --connections N, "
                        + "--messages N, --size 1KiB, --per-message, --implicit-tls, --java-opts \"...\"");
            }
        }
        Scenario scenario = new Scenario("ad hoc", "ad-hoc", connections, messages, size, perMessage);

        NextHopServer nextHop = NextHopServer.start();
        RedisServerProcess redis = variant.usesRedis() ? RedisServerProcess.startNew() : null;
        JamesProcess[] james = new JamesProcess[1];
        Thread hook = new Thread(() -> stop(james[0], nextHop, redis), "load-run-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            james[0] = JamesProcess.start(variant, JamesProcess.assembledHome(), nextHop.port(), javaOpts,
                SideBySideMain.environment(variant, redis));
            LoadSpec spec = scenario.spec(james[0], tls);
            System.err.println(variant.variantName() + ": " + spec.describe());
            LoadResult result = LoadGenerator.run(spec, nextHop);
            System.out.println(variant.variantName() + " " + result.toJson());
        } finally {
            stop(james[0], nextHop, redis);
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // already shutting down
            }
        }
    }

    /** "1KiB", "100KiB", "2MiB", "512" (bytes); K and M are read as KiB and MiB. */
    static int parseSize(String text) {
        Matcher matcher = SIZE.matcher(text.trim());
        if (!matcher.matches()) {
            throw new IllegalArgumentException("size must be a number of bytes, KiB or MiB (e.g. 1KiB, 100KiB, 2MiB), not '" + text + "'");
        }
        long bytes = Long.parseLong(matcher.group(1));
        String unit = matcher.group(2) == null ? "B" : matcher.group(2).toUpperCase(Locale.ROOT);
        if (unit.startsWith("K")) {
            bytes *= 1024;
        } else if (unit.startsWith("M")) {
            bytes *= 1024 * 1024;
        }
        if (bytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("size too large: " + text);
        }
        return (int) bytes;
    }

    private static synchronized void stop(JamesProcess james, NextHopServer nextHop, RedisServerProcess redis) {
        if (stopped) {
            return;
        }
        stopped = true;
        try {
            if (james != null) {
                james.close();
            }
        } finally {
            nextHop.close();
            if (redis != null) {
                redis.close();
            }
        }
    }

    private static String value(String[] args, int index) {
        if (index >= args.length) {
            throw new IllegalArgumentException(args[index - 1] + " needs a value");
        }
        return args[index];
    }
}
