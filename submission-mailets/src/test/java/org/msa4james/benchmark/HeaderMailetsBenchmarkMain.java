package org.msa4james.benchmark;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs {@link HeaderMailetsBenchmark} and {@link SubmissionChainBenchmark} with JMH (every JMH command-line option
 * works: {@code -rf json -rff FILE}, {@code -prof gc}, {@code -p size=2KiB}, {@code -wi}, {@code -i}, a benchmark
 * regexp...), then prints the two message sizes side by side: the median time per operation and their ratio, octets
 * allocated per operation ({@code gc.alloc.rate.norm}, with {@code -prof gc}) and octets read from the message per
 * operation. A benchmark whose check fails ends the run with an error (JMH's {@code -foe true}, unless given).
 *
 * <p>Verdict per header-only benchmark: {@code ok} when the 20 MiB time is within {@value #TARGET_RATIO} times the
 * 2 KiB time and the mailet read the header only. Reading the body is a bug and ends the run with exit status 1;
 * a time ratio over the target is reported but does not (times depend on the machine and its load; the octets read
 * and allocated do not).</p>
 */
public final class HeaderMailetsBenchmarkMain {
    static final double TARGET_RATIO = 1.5;
    private static final String SMALL = "2KiB";
    private static final String LARGE = "20MiB";
    /** The benchmarks in the order of the table (the shipped order of the submission processor, then the chains). */
    private static final List<String> ORDER = List.of("readHeader", "isSubmission", "addMissingDate", "addMissingMessageId",
        "qualifyAddresses", "addSender", "concealLocalAddresses", "headerChain", "removeMimeHeaderBcc",
        "prepareForSigning", "transferEncode", "dkimSign", "submissionChain", "submissionChainSigned");
    /** The benchmarks that read the whole message by design (shown for contrast); all others must read the header only. */
    private static final Set<String> STREAMING = Set.of("transferEncode", "dkimSign", "submissionChain", "submissionChainSigned");

    private HeaderMailetsBenchmarkMain() {
    }

    public static void main(String[] args) throws RunnerException {
        CommandLineOptions commandLine;
        try {
            commandLine = new CommandLineOptions(args);
        } catch (CommandLineOptionException e) {
            System.err.println("Invalid JMH options: " + e.getMessage());
            System.exit(2);
            return;
        }
        ChainedOptionsBuilder options = new OptionsBuilder().parent(commandLine);
        if (!commandLine.shouldFailOnError().hasValue()) {
            // a benchmark whose check fails (its mailet or hook did not do its work) fails the run
            options.shouldFailOnError(true);
        }
        if (commandLine.getIncludes().isEmpty()) {
            options.include(HeaderMailetsBenchmark.class.getName() + "\\.");
            options.include(SubmissionChainBenchmark.class.getName() + "\\.");
        }
        Collection<RunResult> results = new Runner(options.build()).run();
        boolean bodyRead = printTable(results);
        if (bodyRead) {
            System.exit(1);
        }
    }

    /** Prints the side-by-side table; true when a header-only benchmark read the body. */
    static boolean printTable(Collection<RunResult> results) {
        Map<String, Map<String, RunResult>> byBenchmark = new LinkedHashMap<>();
        for (String name : ORDER) {
            byBenchmark.put(name, new LinkedHashMap<>());
        }
        for (RunResult result : results) {
            String benchmark = result.getParams().getBenchmark();
            String name = benchmark.substring(benchmark.lastIndexOf('.') + 1);
            byBenchmark.computeIfAbsent(name, ignored -> new LinkedHashMap<>()).put(result.getParams().getParam("size"), result);
        }

        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"benchmark", "2 KiB us/op (median)", "20 MiB us/op (median)", "ratio", "alloc B/op 2 KiB",
            "alloc B/op 20 MiB", "read B/op 2 KiB", "read B/op 20 MiB", "verdict"});
        boolean anyBodyRead = false;
        for (Map.Entry<String, Map<String, RunResult>> entry : byBenchmark.entrySet()) {
            Optional<RunResult> small = Optional.ofNullable(entry.getValue().get(SMALL));
            Optional<RunResult> large = Optional.ofNullable(entry.getValue().get(LARGE));
            if (small.isEmpty() && large.isEmpty()) {
                continue;
            }
            boolean headerOnly = !STREAMING.contains(entry.getKey());
            Optional<Double> ratio = small.isPresent() && large.isPresent()
                ? Optional.of(typical(large.get()) / typical(small.get()))
                : Optional.empty();
            Optional<Double> largeRead = large.flatMap(HeaderMailetsBenchmarkMain::octetsReadPerMail);
            boolean bodyRead = largeRead.map(octets -> octets > SubmittedMessage.HEADER_OCTETS).orElse(false);
            String verdict;
            if (!headerOnly) {
                verdict = "streams the body (contrast)";
            } else if (bodyRead) {
                verdict = "READS THE BODY";
                anyBodyRead = true;
            } else if (ratio.isPresent() && ratio.get() > TARGET_RATIO) {
                verdict = "MISSED: over " + TARGET_RATIO + "x";
            } else {
                verdict = ratio.isPresent() ? "ok" : "-";
            }
            rows.add(new String[] {
                entry.getKey(),
                small.map(HeaderMailetsBenchmarkMain::median).orElse("-"),
                large.map(HeaderMailetsBenchmarkMain::median).orElse("-"),
                ratio.map(value -> String.format(Locale.ROOT, "%.2fx", value)).orElse("-"),
                small.flatMap(HeaderMailetsBenchmarkMain::allocated).orElse("-"),
                large.flatMap(HeaderMailetsBenchmarkMain::allocated).orElse("-"),
                small.flatMap(HeaderMailetsBenchmarkMain::octetsReadPerMail).map(HeaderMailetsBenchmarkMain::octets).orElse("-"),
                largeRead.map(HeaderMailetsBenchmarkMain::octets).orElse("-"),
                verdict});
        }

        System.out.println();
        System.out.println("Submission processor (matcher and mailets), 2 KiB vs 20 MiB message (median time per fresh mail; target: 20 MiB within "
            + TARGET_RATIO + "x of 2 KiB; header " + SubmittedMessage.HEADER_OCTETS + " octets):");
        print(rows);
        System.out.println("alloc B/op: gc.alloc.rate.norm (needs -prof gc), setup and check of the fresh mail included (see readHeader);"
            + " read B/op: octets read from the message source per mail.");
        return anyBodyRead;
    }

    /**
     * The median time of one operation: the message benchmarks sample the time of single operations
     * ({@code Mode.SampleTime}), and the median of thousands of samples is not moved by the bursts of other work on a
     * shared machine, as a mean is. Other modes: JMH's score.
     */
    static double typical(RunResult result) {
        Result<?> primary = result.getPrimaryResult();
        if (result.getParams().getMode() == Mode.SampleTime) {
            return primary.getStatistics().getPercentile(50.0);
        }
        return primary.getScore();
    }

    private static String median(RunResult result) {
        return String.format(Locale.ROOT, "%.3f", typical(result));
    }

    private static Optional<String> allocated(RunResult result) {
        return secondary(result, "gc.alloc.rate.norm").map(HeaderMailetsBenchmarkMain::octets);
    }

    private static Optional<Double> octetsReadPerMail(RunResult result) {
        Optional<Double> octets = secondary(result, "sourceOctets");
        Optional<Double> mails = secondary(result, "mails");
        if (octets.isEmpty() || mails.isEmpty() || mails.get() == 0) {
            return Optional.empty();
        }
        return Optional.of(octets.get() / mails.get());
    }

    private static Optional<Double> secondary(RunResult result, String label) {
        return result.getSecondaryResults().entrySet().stream()
            .filter(entry -> entry.getKey().equals(label) || entry.getKey().endsWith("." + label) || entry.getKey().endsWith("\u00b7" + label))
            .map(entry -> entry.getValue().getScore())
            .findFirst();
    }

    private static String octets(double value) {
        return String.format(Locale.ROOT, "%,.0f", value);
    }

    private static void print(List<String[]> rows) {
        int[] widths = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (int r = 0; r < rows.size(); r++) {
            StringBuilder line = new StringBuilder("| ");
            for (int i = 0; i < widths.length; i++) {
                String cell = rows.get(r)[i];
                boolean left = i == 0 || i == widths.length - 1;
                line.append(left ? pad(cell, widths[i], false) : pad(cell, widths[i], true)).append(" | ");
            }
            System.out.println(line.toString().trim());
            if (r == 0) {
                StringBuilder rule = new StringBuilder("|");
                for (int i = 0; i < widths.length; i++) {
                    boolean left = i == 0 || i == widths.length - 1;
                    rule.append(' ').append("-".repeat(widths[i] - 1)).append(left ? "-" : ":").append(" |");
                }
                System.out.println(rule);
            }
        }
    }

    private static String pad(String cell, int width, boolean right) {
        String spaces = " ".repeat(width - cell.length());
        return right ? spaces + cell : cell + spaces;
    }
}
