package org.msa4james.benchmark;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.RunnerException;

/**
 * Runs {@link EnvelopeHooksBenchmark}, {@link MessageHooksBenchmark} and {@link AuthCacheBenchmark} with JMH (every JMH command-line option works:
 * {@code -rf json -rff FILE}, {@code -prof gc}, {@code -p size=2KiB}, {@code -wi}, {@code -i}, a benchmark
 * regexp...), then prints three tables: the time and allocation of each envelope handler per call, the AUTH check
 * with and without the AUTH cache, and the message handlers at the two message sizes side by side (median time, ratio, octets allocated and octets read per operation).
 *
 * <p>Verdict per message benchmark: {@code ok} when the 20 MiB time is within {@value BenchmarkReport#TARGET_RATIO}
 * times the 2 KiB time and the handlers read the header only. Reading the body is a bug and ends the run with exit
 * status 1; a time ratio over the target is reported but does not (times depend on the machine and its load; octets
 * do not).</p>
 */
public final class SmtpHooksBenchmarkMain {
    private SmtpHooksBenchmarkMain() {
    }

    public static void main(String[] args) throws RunnerException {
        BenchmarkReport.main(args, SmtpHooksBenchmarkMain::printTables, EnvelopeHooksBenchmark.class, MessageHooksBenchmark.class,
            AuthCacheBenchmark.class);
    }

    /** Prints both tables; true when a message benchmark read the body. */
    static boolean printTables(Collection<RunResult> results) {
        List<String[]> envelope = new ArrayList<>();
        envelope.add(new String[] {"handler (accepting path)", "us/op", "alloc B/op"});
        List<String[]> auth = new ArrayList<>();
        auth.add(new String[] {"AUTH check", "us/op", "alloc B/op"});
        Map<String, Map<String, RunResult>> message = new LinkedHashMap<>();
        for (RunResult result : results) {
            String name = BenchmarkReport.name(result);
            if (result.getParams().getBenchmark().contains(EnvelopeHooksBenchmark.class.getSimpleName() + ".")) {
                envelope.add(new String[] {name, BenchmarkReport.time(result), BenchmarkReport.allocated(result).orElse("-")});
            } else if (result.getParams().getBenchmark().contains(AuthCacheBenchmark.class.getSimpleName() + ".")) {
                auth.add(new String[] {name, BenchmarkReport.time(result), BenchmarkReport.allocated(result).orElse("-")});
            } else {
                message.computeIfAbsent(name, ignored -> new LinkedHashMap<>()).put(result.getParams().getParam("size"), result);
            }
        }
        BenchmarkReport.SizeTable table = BenchmarkReport.sizeTable(message, EndOfDataMessage.HEADER_OCTETS, Set.of());

        if (envelope.size() > 1) {
            System.out.println();
            System.out.println("Submission listener handlers before DATA, one call on the accepting path (authenticated TLS session):");
            BenchmarkReport.print(envelope);
        }
        if (auth.size() > 1) {
            System.out.println();
            System.out.println("AUTH PLAIN of one user, PBKDF2-SHA512: James's hook alone, from the AUTH cache, and a wrong password"
                + " through both:");
            BenchmarkReport.print(auth);
        }
        if (table.rows.size() > 1) {
            System.out.println();
            System.out.println("Submission listener handlers at the end of DATA, 2 KiB vs 20 MiB message (median time per operation; target: 20 MiB within "
                + BenchmarkReport.TARGET_RATIO + "x of 2 KiB; header " + EndOfDataMessage.HEADER_OCTETS + " octets):");
            BenchmarkReport.print(table.rows);
        }
        System.out.println("alloc B/op: gc.alloc.rate.norm (needs -prof gc), for the message handlers with the set-up and check of"
            + " the fresh mail (see readHeader); read B/op: octets read from the message source per operation.");
        return table.anyBodyRead;
    }
}
