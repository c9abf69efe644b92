package org.msa4james.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Reading CPU time from /proc/<pid>/stat lines, and summing it over a process tree. */
class ProcessCpuTest {

    /** A real line of Postfix's master (fields 14 to 17: utime 12, stime 34, cutime 560, cstime 78). */
    private static final String MASTER = "10370 (master) S 1 10370 10370 0 -1 4194624 216 0 0 0 12 34 560 78 20 0 1 0 2567088 "
        + "43704320 1156 18446744073709551615 94079073329152 94079073345109 140728005495792 0 0 0 0 4096 91215 1 0 0 17 1 0 0 0 "
        + "0 0 94079073355760 94079073357852 94079130341376 140728005504222 140728005504254 140728005504254 140728005504987 0";

    @Test
    void readsPidParentAndTheFourTimeFields() {
        ProcessCpu.Stat stat = ProcessCpu.parse(MASTER);

        assertThat(stat.pid).isEqualTo(10370);
        assertThat(stat.parentPid).isEqualTo(1);
        assertThat(stat.command).isEqualTo("master");
        assertThat(stat.userTicks).isEqualTo(12);
        assertThat(stat.systemTicks).isEqualTo(34);
        assertThat(stat.childrenUserTicks).isEqualTo(560);
        assertThat(stat.childrenSystemTicks).isEqualTo(78);
        assertThat(stat.totalTicks()).isEqualTo(12 + 34 + 560 + 78);
    }

    @Test
    void aCommandNameWithSpacesAndParenthesesDoesNotShiftTheFields() {
        ProcessCpu.Stat stat = ProcessCpu.parse("42 (a) b (c)) R 7 42 42 0 -1 0 0 0 0 0 5 6 7 8 20 0 1 0 100 0 0");

        assertThat(stat.pid).isEqualTo(42);
        assertThat(stat.command).isEqualTo("a) b (c)");
        assertThat(stat.parentPid).isEqualTo(7);
        assertThat(stat.totalTicks()).isEqualTo(5 + 6 + 7 + 8);
    }

    @Test
    void aLineThatIsNotAStatLineIsRefused() {
        assertThatThrownBy(() -> ProcessCpu.parse("no parentheses here")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ProcessCpu.parse("1 (short) S 0 1 1")).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("too few fields");
    }

    @Test
    void theTreeHoldsTheRootsAndAllTheirDescendantsOnly() {
        List<ProcessCpu.Stat> all = List.of(
            stat(1, 0, 1000),      // init: not ours
            stat(100, 1, 10),      // Postfix's master
            stat(101, 100, 20),    // qmgr
            stat(102, 100, 30),    // smtpd
            stat(103, 102, 40),    // a child of smtpd
            stat(200, 1, 50),      // opendkim
            stat(300, 1, 5000),    // another server
            stat(301, 300, 6000));

        List<ProcessCpu.Stat> tree = ProcessCpu.tree(all, List.of(100L, 200L));

        assertThat(tree).extracting(stat -> stat.pid).containsExactlyInAnyOrder(100L, 101L, 102L, 103L, 200L);
        assertThat(ProcessCpu.totalTicks(tree)).isEqualTo(10 + 20 + 30 + 40 + 50);
    }

    @Test
    void aRootThatIsGoneOrGivenTwiceCountsOnce() {
        List<ProcessCpu.Stat> all = List.of(stat(100, 1, 10), stat(101, 100, 20));

        assertThat(ProcessCpu.totalTicks(ProcessCpu.tree(all, List.of(100L, 100L, 101L, 999L)))).isEqualTo(30);
        assertThat(ProcessCpu.tree(all, List.of(999L))).isEmpty();
    }

    @Test
    void ticksBecomeADuration() {
        assertThat(ProcessCpu.ticksToDuration(250, 100)).isEqualTo(Duration.ofMillis(2_500));
        assertThat(ProcessCpu.ticksToDuration(3, 1000)).isEqualTo(Duration.ofMillis(3));
    }

    @Test
    void thisJvmIsFoundInProcWithItsParentAndCountsSomeCpu() throws Exception {
        assumeThat(Files.isDirectory(Path.of("/proc"))).as("Linux /proc").isTrue();
        long self = ProcessHandle.current().pid();

        List<ProcessCpu.Stat> all = ProcessCpu.readAll();

        assertThat(all).anySatisfy(stat -> {
            assertThat(stat.pid).isEqualTo(self);
            assertThat(stat.parentPid).isEqualTo(ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(0L));
        });
        assertThat(ProcessCpu.ticksPerSecond()).isPositive();
        assertThat(ProcessCpu.treeTime(List.of(self))).isPositive();
    }

    private static ProcessCpu.Stat stat(long pid, long parent, long ticks) {
        return new ProcessCpu.Stat(pid, parent, "p" + pid, ticks, 0, 0, 0);
    }
}
