package org.msa4james.benchmark;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

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
 * Runs {@link EnvelopeHooksBenchmark} and {@link MessageHooksBenchmark} with JMH (every JMH command-line option works:
 * {@code -rf json -rff FILE}, {@code -prof gc}, {@code -p size=2KiB}, {@code -wi}, {@code -i}, a benchmark
 * regexp...), then prints two tables: the time and allocation of each envelope handler per call, and the message
 * handlers at the two message sizes side by side (median time, ratio, octets allocated and octets read per operation).
 *
 * <p>Verdict per message benchmark: {@code ok} when the 20 MiB time is within {@value #TARGET_RATIO} times the 2 KiB
 * time and the handlers read the header only. Reading the body is a bug and ends the run with exit status 1; a time
 * ratio over the target is reported but does not (times depend on the machine and its load; octets do not).</p>
 */
public final class SmtpHooksBenchmarkMain {
    static final double TARGET_RATIO = 1.5;
    private static final String SMALL = "2KiB";
    private static final String LARGE = "20MiB";

    private SmtpHooksBenchmarkMain() {
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
            options.include(EnvelopeHooksBenchmark.class.getName() + "\\.");
            options.include(MessageHooksBenchmark.class.getName() + "\\.");
        }
        Collection<RunResult> results = new Runner(options.build()).run();
        if (printTables(results)) {
            System.exit(1);
        }
    }

    /** Prints both tables; true when a message benchmark read the body. */
    static boolean printTables(Collection<RunResult> results) {
        List<String[]> envelope = new ArrayList<>();
        envelope.add(new String[] {"handler (accepting path)", "us/op", "alloc B/op"});
        Map<String, Map<String, RunResult>> message = new LinkedHashMap<>();
        for (RunResult result : results) {
            String benchmark = result.getParams().getBenchmark();
            String name = benchmark.substring(benchmark.lastIndexOf('.') + 1);
            if (benchmark.contains(EnvelopeHooksBenchmark.class.getSimpleName() + ".")) {
                envelope.add(new String[] {name, time(result), allocated(result).orElse("-")});
            } else {
                message.computeIfAbsent(name, ignored -> new LinkedHashMap<>()).put(result.getParams().getParam("size"), result);
            }
        }

        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"benchmark", "2 KiB us/op (median)", "20 MiB us/op (median)", "ratio", "alloc B/op 2 KiB",
            "alloc B/op 20 MiB", "read B/op 2 KiB", "read B/op 20 MiB", "verdict"});
        boolean anyBodyRead = false;
        for (Map.Entry<String, Map<String, RunResult>> entry : message.entrySet()) {
            Optional<RunResult> small = Optional.ofNullable(entry.getValue().get(SMALL));
            Optional<RunResult> large = Optional.ofNullable(entry.getValue().get(LARGE));
            Optional<Double> ratio = small.isPresent() && large.isPresent()
                ? Optional.of(typical(large.get()) / typical(small.get()))
                : Optional.empty();
            Optional<Double> largeRead = large.flatMap(SmtpHooksBenchmarkMain::octetsReadPerMail);
            boolean bodyRead = largeRead.map(octets -> octets > EndOfDataMessage.HEADER_OCTETS).orElse(false);
            String verdict;
            if (bodyRead) {
                verdict = "READS THE BODY";
                anyBodyRead = true;
            } else if (ratio.isPresent() && ratio.get() > TARGET_RATIO) {
                verdict = "MISSED: over " + TARGET_RATIO + "x";
            } else {
                verdict = ratio.isPresent() ? "ok" : "-";
            }
            rows.add(new String[] {
                entry.getKey(),
                small.map(SmtpHooksBenchmarkMain::median).orElse("-"),
                large.map(SmtpHooksBenchmarkMain::median).orElse("-"),
                ratio.map(value -> String.format(Locale.ROOT, "%.2fx", value)).orElse("-"),
                small.flatMap(SmtpHooksBenchmarkMain::allocated).orElse("-"),
                large.flatMap(SmtpHooksBenchmarkMain::allocated).orElse("-"),
                small.flatMap(SmtpHooksBenchmarkMain::octetsReadPerMail).map(SmtpHooksBenchmarkMain::octets).orElse("-"),
                largeRead.map(SmtpHooksBenchmarkMain::octets).orElse("-"),
                verdict});
        }

        if (envelope.size() > 1) {
            System.out.println();
            System.out.println("Submission listener handlers before DATA, one call on the accepting path (authenticated TLS session):");
            print(envelope);
        }
        if (rows.size() > 1) {
            System.out.println();
            System.out.println("Submission listener handlers at the end of DATA, 2 KiB vs 20 MiB message (median time per operation; target: 20 MiB within "
                + TARGET_RATIO + "x of 2 KiB; header " + EndOfDataMessage.HEADER_OCTETS + " octets):");
            print(rows);
        }
        System.out.println("alloc B/op: gc.alloc.rate.norm (needs -prof gc), for the message handlers with the set-up and check of"
            + " the fresh mail (see readHeader); read B/op: octets read from the message source per operation.");
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

    private static String time(RunResult result) {
        Result<?> primary = result.getPrimaryResult();
        return Double.isNaN(primary.getScoreError())
            ? String.format(Locale.ROOT, "%.4f", primary.getScore())
            : String.format(Locale.ROOT, "%.4f ± %.4f", primary.getScore(), primary.getScoreError());
    }

    private static Optional<String> allocated(RunResult result) {
        return secondary(result, "gc.alloc.rate.norm").map(SmtpHooksBenchmarkMain::octets);
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
                boolean left = i == 0 || i == widths.length - 1 && widths.length > 3;
                line.append(left ? pad(cell, widths[i], false) : pad(cell, widths[i], true)).append(" | ");
            }
            System.out.println(line.toString().trim());
            if (r == 0) {
                StringBuilder rule = new StringBuilder("|");
                for (int i = 0; i < widths.length; i++) {
                    boolean left = i == 0 || i == widths.length - 1 && widths.length > 3;
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
