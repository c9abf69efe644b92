package org.msa4james.load;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The CPU time a server has used so far, all its processes together, read from Linux's {@code /proc/<pid>/stat}.
 *
 * <p>For each process of the tree under the given roots (the roots and every process whose parent is in the tree):
 * utime + stime (its own time in user and kernel mode, all its threads, those that ended included) plus cutime +
 * cstime (the time of its children that have exited and that it has waited for). A server that forks short-lived
 * workers, as Postfix's master does with smtpd, cleanup or smtp, is thus counted whole: a worker still running counts
 * with its own fields, one that has exited in its parent's cutime and cstime, so the sum only grows. The difference
 * between a sample taken before a round and one taken after it is the CPU time that round cost the server. A child
 * that exits between the two reads of one sample may be missed or counted twice; samples are taken when the server is
 * idle (before a round, and after every message of the round has reached the next hop), when that does not happen.</p>
 *
 * <p>The unit of these fields is the clock tick ({@code getconf CLK_TCK}, 100 per second on Linux), so one sample is
 * precise to 10 ms; a round costs seconds.</p>
 */
final class ProcessCpu {
    private static final Path PROC = Path.of("/proc");
    private static final long DEFAULT_TICKS_PER_SECOND = 100;
    private static volatile long ticksPerSecond;

    private ProcessCpu() {
    }

    /** The fields of one {@code /proc/<pid>/stat} line that are used here; times in clock ticks. */
    static final class Stat {
        final long pid;
        final long parentPid;
        final String command;
        final long userTicks;
        final long systemTicks;
        final long childrenUserTicks;
        final long childrenSystemTicks;

        Stat(long pid, long parentPid, String command, long userTicks, long systemTicks, long childrenUserTicks, long childrenSystemTicks) {
            this.pid = pid;
            this.parentPid = parentPid;
            this.command = command;
            this.userTicks = userTicks;
            this.systemTicks = systemTicks;
            this.childrenUserTicks = childrenUserTicks;
            this.childrenSystemTicks = childrenSystemTicks;
        }

        /** utime + stime + cutime + cstime. */
        long totalTicks() {
            return userTicks + systemTicks + childrenUserTicks + childrenSystemTicks;
        }
    }

    /**
     * Parses one line of {@code /proc/<pid>/stat}: "pid (comm) state ppid ..." with utime, stime, cutime and cstime the
     * 14th to 17th fields (proc(5)). The command name may hold spaces and parentheses, so the fields after it are found
     * from the last ')'.
     */
    static Stat parse(String line) {
        int open = line.indexOf('(');
        int close = line.lastIndexOf(')');
        if (open < 1 || close < open) {
            throw new IllegalArgumentException("not a /proc/<pid>/stat line: " + line);
        }
        long pid = Long.parseLong(line.substring(0, open).trim());
        String command = line.substring(open + 1, close);
        // after ")": field 3 (state) has index 0, so field n has index n - 3
        String[] fields = line.substring(close + 1).trim().split("\\s+");
        if (fields.length < 15) {
            throw new IllegalArgumentException("too few fields in /proc/" + pid + "/stat: " + line);
        }
        return new Stat(pid, Long.parseLong(fields[1]), command, Long.parseLong(fields[11]), Long.parseLong(fields[12]),
            Long.parseLong(fields[13]), Long.parseLong(fields[14]));
    }

    /** The processes of {@code all} under the roots (the roots included, when present), each once. */
    static List<Stat> tree(Collection<Stat> all, Collection<Long> roots) {
        Map<Long, List<Stat>> children = new HashMap<>();
        Map<Long, Stat> byPid = new HashMap<>();
        for (Stat stat : all) {
            byPid.put(stat.pid, stat);
            children.computeIfAbsent(stat.parentPid, parent -> new ArrayList<>()).add(stat);
        }
        List<Stat> tree = new ArrayList<>();
        Set<Long> seen = new HashSet<>();
        Deque<Long> pending = new ArrayDeque<>(roots);
        while (!pending.isEmpty()) {
            long pid = pending.pop();
            if (!seen.add(pid)) {
                continue;
            }
            Stat stat = byPid.get(pid);
            if (stat != null) {
                tree.add(stat);
            }
            for (Stat child : children.getOrDefault(pid, List.of())) {
                pending.push(child.pid);
            }
        }
        return tree;
    }

    /** utime + stime + cutime + cstime, summed over the processes given, in clock ticks. */
    static long totalTicks(Collection<Stat> processes) {
        return processes.stream().mapToLong(Stat::totalTicks).sum();
    }

    /** Clock ticks as a duration, at the given ticks per second. */
    static Duration ticksToDuration(long ticks, long perSecond) {
        return Duration.ofNanos(ticks * TimeUnit.SECONDS.toNanos(1) / perSecond);
    }

    /** The CPU time so far of the processes under these roots (see the class comment). */
    static Duration treeTime(Collection<Long> roots) throws IOException {
        return ticksToDuration(totalTicks(tree(readAll(), roots)), ticksPerSecond());
    }

    /** The {@code stat} of every process now running (those that end while being read are left out). */
    static List<Stat> readAll() throws IOException {
        if (!Files.isDirectory(PROC)) {
            throw new IOException("no /proc: CPU time is measured on Linux only");
        }
        List<Stat> all = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC, entry -> entry.getFileName().toString().matches("\\d+"))) {
            for (Path entry : entries) {
                try {
                    all.add(parse(Files.readString(entry.resolve("stat"), US_ASCII)));
                } catch (NoSuchFileException e) {
                    // the process ended between the listing and the read
                } catch (IOException e) {
                    if (Files.exists(entry)) {
                        throw e;
                    }
                }
            }
        }
        return all;
    }

    /** {@code getconf CLK_TCK}, read once; 100 (Linux's USER_HZ) when getconf cannot be run. */
    static long ticksPerSecond() {
        long value = ticksPerSecond;
        if (value > 0) {
            return value;
        }
        value = DEFAULT_TICKS_PER_SECOND;
        try {
            Process getconf = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String output = new String(getconf.getInputStream().readAllBytes(), US_ASCII).trim();
            if (getconf.waitFor(10, TimeUnit.SECONDS) && getconf.exitValue() == 0 && output.matches("\\d+")) {
                value = Long.parseLong(output);
            }
        } catch (IOException e) {
            // keep the default
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        ticksPerSecond = value;
        return value;
    }
}
