package org.msa4james.load;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The outcome of one {@link LoadGenerator} run: counts, elapsed time, throughput, latency
 * percentiles of the accepted messages and a few sample failures; {@link #toJson()} writes it as
 * one line of JSON.
 */
public final class LoadResult {

    private final LoadSpec spec;
    private final int accepted;
    private final int refused;
    private final int errors;
    private final int unsent;
    private final int arrived;
    private final Set<String> missingMessageIds;
    private final int duplicates;
    private final Duration elapsed;
    private final long[] sortedLatencyNanos;
    private final List<String> sampleFailures;
    private final CommandLatencies commands;
    /** CPU time the server's processes used during the run; null when not measured. */
    private final Duration serverCpu;

    /** The reply times of MAIL FROM and of RCPT TO of the accepted messages, sorted. */
    static final class CommandLatencies {
        static final CommandLatencies NONE = new CommandLatencies(new long[0], new long[0]);

        private final long[] sortedMailNanos;
        private final long[] sortedRcptNanos;

        CommandLatencies(long[] mailNanos, long[] rcptNanos) {
            this.sortedMailNanos = mailNanos.clone();
            this.sortedRcptNanos = rcptNanos.clone();
            Arrays.sort(sortedMailNanos);
            Arrays.sort(sortedRcptNanos);
        }
    }

    LoadResult(LoadSpec spec, int accepted, int refused, int errors, int unsent, int arrived, Set<String> missingMessageIds,
               int duplicates, Duration elapsed, long[] latencyNanos, List<String> sampleFailures) {
        this(spec, accepted, refused, errors, unsent, arrived, missingMessageIds, duplicates, elapsed, latencyNanos, sampleFailures,
            CommandLatencies.NONE);
    }

    LoadResult(LoadSpec spec, int accepted, int refused, int errors, int unsent, int arrived, Set<String> missingMessageIds,
               int duplicates, Duration elapsed, long[] latencyNanos, List<String> sampleFailures, CommandLatencies commands) {
        this(spec, accepted, refused, errors, unsent, arrived, missingMessageIds, duplicates, elapsed, latencyNanos, sampleFailures,
            commands, null);
    }

    private LoadResult(LoadSpec spec, int accepted, int refused, int errors, int unsent, int arrived, Set<String> missingMessageIds,
                       int duplicates, Duration elapsed, long[] latencyNanos, List<String> sampleFailures, CommandLatencies commands,
                       Duration serverCpu) {
        this.spec = spec;
        this.accepted = accepted;
        this.refused = refused;
        this.errors = errors;
        this.unsent = unsent;
        this.arrived = arrived;
        this.missingMessageIds = Set.copyOf(missingMessageIds);
        this.duplicates = duplicates;
        this.elapsed = elapsed;
        this.sortedLatencyNanos = latencyNanos.clone();
        Arrays.sort(this.sortedLatencyNanos);
        this.sampleFailures = List.copyOf(sampleFailures);
        this.commands = commands;
        this.serverCpu = serverCpu;
    }

    /** This result with the CPU time the server's processes used during the run (see {@link Participant#cpuTime()}). */
    LoadResult withServerCpu(Duration cpu) {
        return new LoadResult(spec, accepted, refused, errors, unsent, arrived, missingMessageIds, duplicates, elapsed, sortedLatencyNanos,
            sampleFailures, commands, cpu);
    }

    /** CPU time of the server's processes during the run, in ms; NaN when not measured. */
    public double serverCpuMillis() {
        return serverCpu == null ? Double.NaN : serverCpu.toNanos() / 1e6;
    }

    /**
     * CPU time of the server's processes during the run divided by the accepted messages, in ms; NaN when not measured or
     * nothing was accepted. It includes the connections, TLS handshakes and AUTHs of the run, and relaying to the next hop.
     */
    public double serverCpuMillisPerMessage() {
        return accepted == 0 ? Double.NaN : serverCpuMillis() / accepted;
    }

    public LoadSpec spec() {
        return spec;
    }

    /** Messages whose end of DATA got a 250 reply. */
    public int accepted() {
        return accepted;
    }

    /** Messages that got a reply other than the expected one (greeting, EHLO, STARTTLS, AUTH, MAIL, RCPT, DATA, end of DATA). */
    public int refused() {
        return refused;
    }

    /** Messages lost to an IO error or a timeout (connection refused or closed, no reply in time, TLS failure). */
    public int errors() {
        return errors;
    }

    /** Messages never started because the time limit had passed. */
    public int unsent() {
        return unsent;
    }

    /** Accepted messages that arrived at the next hop. */
    public int arrived() {
        return arrived;
    }

    /** Number of accepted messages that did not arrive at the next hop in time. */
    public int missing() {
        return missingMessageIds.size();
    }

    /** Message-IDs of the accepted messages that did not arrive at the next hop in time. */
    public Set<String> missingMessageIds() {
        return missingMessageIds;
    }

    /** Messages the next hop received again (same Message-ID) during this run. */
    public int duplicates() {
        return duplicates;
    }

    /** From the first connect to the last reply of a message transaction. */
    public Duration elapsed() {
        return elapsed;
    }

    /** Accepted messages per second of {@link #elapsed()}; 0 when nothing was accepted. */
    public double messagesPerSecond() {
        double seconds = elapsed.toNanos() / 1e9;
        return seconds > 0 ? accepted / seconds : 0;
    }

    /** Nearest-rank 50th percentile of the latencies of accepted messages, in ms; NaN when none. */
    public double p50Millis() {
        return percentileMillis(sortedLatencyNanos, 50);
    }

    public double p95Millis() {
        return percentileMillis(sortedLatencyNanos, 95);
    }

    public double p99Millis() {
        return percentileMillis(sortedLatencyNanos, 99);
    }

    public double maxMillis() {
        return percentileMillis(sortedLatencyNanos, 100);
    }

    /** Nearest-rank percentile of the time from writing MAIL FROM to its reply, accepted messages only, in ms. */
    public double mailMillis(double percent) {
        return percentileMillis(commands.sortedMailNanos, percent);
    }

    /** Nearest-rank percentile of the time from writing RCPT TO to its reply, accepted messages only, in ms. */
    public double rcptMillis(double percent) {
        return percentileMillis(commands.sortedRcptNanos, percent);
    }

    /** The first few failures, each "phase: reply lines" or "phase: exception". */
    public List<String> sampleFailures() {
        return sampleFailures;
    }

    /**
     * The nearest-rank percentile: the smallest value such that at least {@code percent}% of the
     * values are at or below it, i.e. the value of rank ceil(percent / 100 x n) in ascending order.
     *
     * @param sortedNanos values in ascending order
     * @return the percentile in milliseconds, NaN for no values
     */
    static double percentileMillis(long[] sortedNanos, double percent) {
        if (percent <= 0 || percent > 100) {
            throw new IllegalArgumentException("percent must be in (0, 100], was " + percent);
        }
        if (sortedNanos.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(percent / 100.0 * sortedNanos.length);
        int index = Math.min(Math.max(rank, 1), sortedNanos.length) - 1;
        return sortedNanos[index] / 1e6;
    }

    /**
     * One line of JSON, for instance
     * {@code {"target":"127.0.0.1:587","tls":"STARTTLS","connections":4,"messages":1000,"size":1024,
     * "connectionPerMessage":false,"accepted":1000,"refused":0,"errors":0,"arrived":1000,"missing":0,
     * "duplicates":0,"seconds":3.210,"msgsPerSecond":311.5,"latencyMs":{"p50":9.800,"p95":21.000,
     * "p99":35.200,"max":60.100},"mailMs":{"p50":0.310,"p99":1.200},"rcptMs":{"p50":0.290,"p99":1.100},
     * "serverCpuMs":2140.0,"serverCpuMsPerMsg":2.140,"unsent":0,
     * "failures":[]}}. Latencies are null when nothing was accepted, the CPU
     * times when not measured.
     */
    public String toJson() {
        StringBuilder json = new StringBuilder(256);
        json.append('{')
            .append("\"target\":").append(jsonString(spec.target()))
            .append(",\"tls\":").append(jsonString(spec.tls().name()))
            .append(",\"connections\":").append(spec.connections())
            .append(",\"messages\":").append(spec.totalMessages())
            .append(",\"size\":").append(spec.messageSize())
            .append(",\"connectionPerMessage\":").append(spec.connectionPerMessage())
            .append(",\"accepted\":").append(accepted)
            .append(",\"refused\":").append(refused)
            .append(",\"errors\":").append(errors)
            .append(",\"arrived\":").append(arrived)
            .append(",\"missing\":").append(missing())
            .append(",\"duplicates\":").append(duplicates)
            .append(",\"seconds\":").append(number(elapsed.toNanos() / 1e9, 3))
            .append(",\"msgsPerSecond\":").append(number(messagesPerSecond(), 1))
            .append(",\"latencyMs\":{")
            .append("\"p50\":").append(number(p50Millis(), 3))
            .append(",\"p95\":").append(number(p95Millis(), 3))
            .append(",\"p99\":").append(number(p99Millis(), 3))
            .append(",\"max\":").append(number(maxMillis(), 3))
            .append('}')
            .append(",\"mailMs\":{\"p50\":").append(number(mailMillis(50), 3))
            .append(",\"p99\":").append(number(mailMillis(99), 3)).append('}')
            .append(",\"rcptMs\":{\"p50\":").append(number(rcptMillis(50), 3))
            .append(",\"p99\":").append(number(rcptMillis(99), 3)).append('}')
            .append(",\"serverCpuMs\":").append(number(serverCpuMillis(), 1))
            .append(",\"serverCpuMsPerMsg\":").append(number(serverCpuMillisPerMessage(), 3))
            .append(",\"unsent\":").append(unsent)
            .append(",\"failures\":[");
        for (int i = 0; i < sampleFailures.size(); i++) {
            json.append(i == 0 ? "" : ",").append(jsonString(sampleFailures.get(i)));
        }
        return json.append("]}").toString();
    }

    @Override
    public String toString() {
        return toJson();
    }

    private static String number(double value, int decimals) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return "null";
        }
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }

    /** A JSON string literal: quotes, backslash and every control character escaped (RFC 8259 section 7). */
    static String jsonString(String value) {
        StringBuilder out = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"':
                    out.append("\\\"");
                    break;
                case '\\':
                    out.append("\\\\");
                    break;
                case '\n':
                    out.append("\\n");
                    break;
                case '\r':
                    out.append("\\r");
                    break;
                case '\t':
                    out.append("\\t");
                    break;
                case '\b':
                    out.append("\\b");
                    break;
                case '\f':
                    out.append("\\f");
                    break;
                default:
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                        out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
            }
        }
        return out.append('"').toString();
    }
}
