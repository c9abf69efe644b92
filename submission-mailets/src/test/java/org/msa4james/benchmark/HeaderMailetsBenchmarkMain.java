package org.msa4james.benchmark;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.RunnerException;

/**
 * Runs {@link HeaderMailetsBenchmark} and {@link SubmissionChainBenchmark} with JMH (every JMH command-line option
 * works: {@code -rf json -rff FILE}, {@code -prof gc}, {@code -p size=2KiB}, {@code -wi}, {@code -i}, a benchmark
 * regexp...), then prints the two message sizes side by side: the median time per operation and their ratio, octets
 * allocated per operation ({@code gc.alloc.rate.norm}, with {@code -prof gc}) and octets read from the message per
 * operation. A benchmark whose check fails ends the run with an error (JMH's {@code -foe true}, unless given).
 *
 * <p>Verdict per header-only benchmark: {@code ok} when the 20 MiB time is within
 * {@value BenchmarkReport#TARGET_RATIO} times the 2 KiB time and the mailet read the header only. Reading the body is
 * a bug and ends the run with exit status 1; a time ratio over the target is reported but does not (times depend on
 * the machine and its load; the octets read and allocated do not). The table code is submission-smtp-hooks'
 * {@link BenchmarkReport} (its test-jar).</p>
 */
public final class HeaderMailetsBenchmarkMain {
    /** The benchmarks in the order of the table (the shipped order of the submission processor, then the chains). */
    private static final List<String> ORDER = List.of("readHeader", "isSubmission", "addMissingDate", "addMissingMessageId",
        "qualifyAddresses", "addSender", "concealLocalAddresses", "headerChain", "removeMimeHeaderBcc",
        "prepareForSigning", "transferEncode", "dkimSign", "submissionChain", "submissionChainSigned");
    /** The benchmarks that read the whole message by design (shown for contrast); all others must read the header only. */
    private static final Set<String> STREAMING = Set.of("transferEncode", "dkimSign", "submissionChain", "submissionChainSigned");

    private HeaderMailetsBenchmarkMain() {
    }

    public static void main(String[] args) throws RunnerException {
        BenchmarkReport.main(args, HeaderMailetsBenchmarkMain::printTable, HeaderMailetsBenchmark.class, SubmissionChainBenchmark.class);
    }

    /** Prints the side-by-side table; true when a header-only benchmark read the body. */
    static boolean printTable(Collection<RunResult> results) {
        Map<String, Map<String, RunResult>> byBenchmark = new LinkedHashMap<>();
        for (String name : ORDER) {
            byBenchmark.put(name, new LinkedHashMap<>());
        }
        for (RunResult result : results) {
            byBenchmark.computeIfAbsent(BenchmarkReport.name(result), ignored -> new LinkedHashMap<>())
                .put(result.getParams().getParam("size"), result);
        }
        BenchmarkReport.SizeTable table = BenchmarkReport.sizeTable(byBenchmark, SubmittedMessage.HEADER_OCTETS, STREAMING);

        System.out.println();
        System.out.println("Submission processor (matcher and mailets), 2 KiB vs 20 MiB message (median time per fresh mail; target: 20 MiB within "
            + BenchmarkReport.TARGET_RATIO + "x of 2 KiB; header " + SubmittedMessage.HEADER_OCTETS + " octets):");
        BenchmarkReport.print(table.rows);
        System.out.println("alloc B/op: gc.alloc.rate.norm (needs -prof gc), setup and check of the fresh mail included (see readHeader);"
            + " read B/op: octets read from the message source per mail.");
        return table.anyBodyRead;
    }
}
