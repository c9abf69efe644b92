package org.msa4james.benchmark;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

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
 * What the benchmark mains of the hooks and of the mailets (submission-mailets uses this module's test-jar) share:
 * running JMH on the command line's options, and the table of the two message sizes side by side (median time, ratio,
 * octets allocated and octets read per operation, verdict).
 *
 * <p>Verdict per header-only benchmark: {@code ok} when the 20 MiB time is within {@value #TARGET_RATIO} times the
 * 2 KiB time and the benchmark read the header only. Reading the body is a bug; a time ratio over the target is
 * reported only (times depend on the machine and its load; the octets read and allocated do not).</p>
 */
public final class BenchmarkReport {
    public static final double TARGET_RATIO = 1.5;
    private static final String SMALL = "2KiB";
    private static final String LARGE = "20MiB";

    private BenchmarkReport() {
    }

    /**
     * Runs JMH with every option of the command line, the given benchmarks when it names none, and a run that ends
     * at the first failing check unless told otherwise; exits with status 2 on invalid options.
     */
    public static Collection<RunResult> run(String[] args, Class<?>... benchmarks) throws RunnerException {
        CommandLineOptions commandLine;
        try {
            commandLine = new CommandLineOptions(args);
        } catch (CommandLineOptionException e) {
            System.err.println("Invalid JMH options: " + e.getMessage());
            System.exit(2);
            return List.of();
        }
        ChainedOptionsBuilder options = new OptionsBuilder().parent(commandLine);
        if (!commandLine.shouldFailOnError().hasValue()) {
            // a benchmark whose check fails (its mailet or hook did not do its work) fails the run
            options.shouldFailOnError(true);
        }
        if (commandLine.getIncludes().isEmpty()) {
            for (Class<?> benchmark : benchmarks) {
                options.include(benchmark.getName() + "\\.");
            }
        }
        return new Runner(options.build()).run();
    }

    /**
     * The main of a benchmark set: {@link #run} the benchmarks, print the tables of their results, exit with status 1
     * when {@code printTables} says a header-only benchmark read the body.
     */
    public static void main(String[] args, Predicate<Collection<RunResult>> printTables, Class<?>... benchmarks)
        throws RunnerException {
        if (printTables.test(run(args, benchmarks))) {
            System.exit(1);
        }
    }

    /** The method name of a benchmark's full name. */
    public static String name(RunResult result) {
        String benchmark = result.getParams().getBenchmark();
        return benchmark.substring(benchmark.lastIndexOf('.') + 1);
    }

    /** The rows of the side-by-side table, header row first, and whether a header-only benchmark read the body. */
    public static final class SizeTable {
        public final List<String[]> rows = new ArrayList<>();
        public boolean anyBodyRead;
    }

    /**
     * The side-by-side table of {@code bySize} (benchmark name to the results by {@code size} parameter, in the
     * order of the table): a benchmark of {@code streaming} reads the whole message by design (shown for contrast);
     * any other that reads more than {@code headerOctets} from the 20 MiB message reads the body.
     */
    public static SizeTable sizeTable(Map<String, Map<String, RunResult>> bySize, int headerOctets, Set<String> streaming) {
        SizeTable table = new SizeTable();
        table.rows.add(new String[] {"benchmark", "2 KiB us/op (median)", "20 MiB us/op (median)", "ratio", "alloc B/op 2 KiB",
            "alloc B/op 20 MiB", "read B/op 2 KiB", "read B/op 20 MiB", "verdict"});
        for (Map.Entry<String, Map<String, RunResult>> entry : bySize.entrySet()) {
            Optional<RunResult> small = Optional.ofNullable(entry.getValue().get(SMALL));
            Optional<RunResult> large = Optional.ofNullable(entry.getValue().get(LARGE));
            if (small.isEmpty() && large.isEmpty()) {
                continue;
            }
            boolean headerOnly = !streaming.contains(entry.getKey());
            Optional<Double> ratio = small.isPresent() && large.isPresent()
                ? Optional.of(typical(large.get()) / typical(small.get()))
                : Optional.empty();
            Optional<Double> largeRead = large.flatMap(BenchmarkReport::octetsReadPerMail);
            boolean bodyRead = largeRead.map(octets -> octets > headerOctets).orElse(false);
            String verdict;
            if (!headerOnly) {
                verdict = "streams the body (contrast)";
            } else if (bodyRead) {
                verdict = "READS THE BODY";
                table.anyBodyRead = true;
            } else if (ratio.isPresent() && ratio.get() > TARGET_RATIO) {
                verdict = "MISSED: over " + TARGET_RATIO + "x";
            } else {
                verdict = ratio.isPresent() ? "ok" : "-";
            }
            table.rows.add(new String[] {
                entry.getKey(),
                small.map(BenchmarkReport::median).orElse("-"),
                large.map(BenchmarkReport::median).orElse("-"),
                ratio.map(value -> String.format(Locale.ROOT, "%.2fx", value)).orElse("-"),
                small.flatMap(BenchmarkReport::allocated).orElse("-"),
                large.flatMap(BenchmarkReport::allocated).orElse("-"),
                small.flatMap(BenchmarkReport::octetsReadPerMail).map(BenchmarkReport::octets).orElse("-"),
                largeRead.map(BenchmarkReport::octets).orElse("-"),
                verdict});
        }
        return table;
    }

    /**
     * The median time of one operation: the message benchmarks sample the time of single operations
     * ({@code Mode.SampleTime}), and the median of thousands of samples is not moved by the bursts of other work on a
     * shared machine, as a mean is. Other modes: JMH's score.
     */
    public static double typical(RunResult result) {
        Result<?> primary = result.getPrimaryResult();
        if (result.getParams().getMode() == Mode.SampleTime) {
            return primary.getStatistics().getPercentile(50.0);
        }
        return primary.getScore();
    }

    private static String median(RunResult result) {
        return String.format(Locale.ROOT, "%.3f", typical(result));
    }

    /** JMH's score and its error. */
    public static String time(RunResult result) {
        Result<?> primary = result.getPrimaryResult();
        return Double.isNaN(primary.getScoreError())
            ? String.format(Locale.ROOT, "%.4f", primary.getScore())
            : String.format(Locale.ROOT, "%.4f ± %.4f", primary.getScore(), primary.getScoreError());
    }

    /** Octets allocated per operation: gc.alloc.rate.norm, with {@code -prof gc}. */
    public static Optional<String> allocated(RunResult result) {
        return secondary(result, "gc.alloc.rate.norm").map(BenchmarkReport::octets);
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

    /** Prints a Markdown table: first and last column (of more than three) left-aligned, the others right-aligned. */
    public static void print(List<String[]> rows) {
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
