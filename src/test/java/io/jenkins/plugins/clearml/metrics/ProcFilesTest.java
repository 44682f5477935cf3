package io.jenkins.plugins.clearml.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The /proc parsers, on files recorded on the build machine (src/test/resources/metrics/proc/). */
class ProcFilesTest {

    @Test
    void perCoreTimesReadsOnlyTheNumberedCpuLinesWithoutGuestTime() {
        List<ProcFiles.CpuTimes> cores = ProcFiles.perCoreTimes(Fixtures.text("proc/stat"));

        // recorded: cpu0 28033 0 10906 53920 132 0 151 0 0 0 ... (two cores; the "cpu" total line is left out)
        assertThat(cores).hasSize(2);
        assertThat(cores.get(0).total()).isEqualTo(28033 + 10906 + 53920 + 132 + 151);
        assertThat(cores.get(0).busy()).isEqualTo(28033 + 10906 + 151);
    }

    @Test
    void cpuPercentIsBusyJiffiesOverAllJiffies() {
        ProcFiles.CpuTimes before = new ProcFiles.CpuTimes(100, 1000);
        ProcFiles.CpuTimes after = new ProcFiles.CpuTimes(175, 1100);

        assertThat(after.percentSince(before)).isEqualTo(75.0);
        assertThat(before.percentSince(before)).isNull();
        // a counter that went backwards (CPU hot-unplugged and back) never gives a negative figure
        assertThat(new ProcFiles.CpuTimes(50, 1200).percentSince(before)).isEqualTo(0.0);
    }

    @Test
    void guestTimeIsNotCountedTwice() {
        // user includes guest: psutil subtracts guest and guest_nice, i.e. counts the first 8 fields only
        List<ProcFiles.CpuTimes> cores = ProcFiles.perCoreTimes("cpu0 100 0 0 100 0 0 0 0 80 0\n");

        assertThat(cores.get(0).total()).isEqualTo(200);
        assertThat(cores.get(0).busy()).isEqualTo(100);
    }

    @Test
    void memoryIsComputedAsPsutilDoes() {
        Map<String, Long> m = ProcFiles.meminfo(Fixtures.text("proc/meminfo"));
        ProcFiles.Memory memory = ProcFiles.memory(m);

        assertThat(m.get("MemTotal")).isEqualTo(24683620L * 1024);
        assertThat(memory.total()).isEqualTo(24683620L * 1024);
        assertThat(memory.available()).isEqualTo(24000440L * 1024);
        assertThat(memory.used()).isEqualTo(m.get("MemTotal") - m.get("MemFree") - m.get("Buffers")
                - m.get("Cached") - m.get("SReclaimable"));
        assertThat(m).doesNotContainKey("HugePages_Total:"); // keys are names, without the colon
        assertThat(m.get("HugePages_Total")).isZero(); // a count, not kB
    }

    @Test
    void usedFallsBackToTotalMinusFreeWhenCachesExceedIt() {
        ProcFiles.Memory memory = ProcFiles.memory(Map.of("MemTotal", 100L, "MemFree", 10L, "Cached", 200L,
                "MemAvailable", 50L));

        assertThat(memory.used()).isEqualTo(90);
    }

    @Test
    void loadAverage() {
        assertThat(ProcFiles.loadAverage("6.31 4.28 2.05 3/291 12345\n")).containsExactly(6.31, 4.28, 2.05);
    }

    @Test
    void diskBytesCountWholeDevicesOnlyIn512ByteSectors() {
        String diskstats = Fixtures.text("proc/diskstats")
                + " 254       1 vda1 100 0 5000 0 100 0 7000 0 0 0 0 0 0 0 0 0 0\n";
        Set<String> devices = Set.of(Fixtures.text("proc/sys_block.txt").split("\n"));

        ProcFiles.ByteCounters bytes = ProcFiles.diskBytes(diskstats, devices);

        // recorded: vda 52175 10810 3498042 ... 48633 31327 3939504; loop and zram are all zero; vda1 is a partition
        assertThat(bytes.in()).isEqualTo(3498042L * 512);
        assertThat(bytes.out()).isEqualTo(3939504L * 512);
    }

    @Test
    void networkBytesSumEveryInterfaceIncludingNamesWithoutASpaceBeforeTheCounters() {
        ProcFiles.ByteCounters bytes = ProcFiles.networkBytes(Fixtures.text("proc/net_dev"));

        // lo 87809363/87809363, eth0 140665851/412155, cni-podman0 1440/1294 (written "cni-podman0:    1440")
        assertThat(bytes.in()).isEqualTo(87809363L + 140665851L + 1440L);
        assertThat(bytes.out()).isEqualTo(87809363L + 412155L + 1294L);
    }

    @Test
    void diskVolumeGivesPsutilsPercentage() {
        // recorded on the build machine: stat -f -c '%S %b %f %a' /root, and df -P -B1 / gave 23 % used;
        // with os.statvfs, psutil's formula used / (used + available) gave 22.104 % used (reserved blocks count as used)
        DiskVolume volume = DiskVolume.parse("/root", "4096 66053021 60173638 20718345\n");

        assertThat(volume.totalBytes()).isEqualTo(66053021L * 4096);
        assertThat(volume.freePercent(20718345L * 4096)).isCloseTo(77.8955, within(0.001));
        assertThat(DiskVolume.parse("/x", "stat: cannot read file system information")).isNull();
    }
}
