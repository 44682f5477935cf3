package io.jenkins.plugins.clearml.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.jenkins.plugins.clearml.node.NodeAccess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Samples this machine and checks each figure against a reading taken another way: {@code free -b}, {@code nproc},
 * {@code df}, {@code /sys/class/net/*}/statistics and {@code /sys/block/*}/stat.
 */
class LinuxSamplerLiveTest {

    @BeforeAll
    static void linuxOnly() {
        assumeThat(Files.exists(Path.of("/proc/stat"))).as("Linux /proc").isTrue();
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(String.join(" ", command) + ": " + out).isZero();
        return out;
    }

    private static NodeSample sample() throws InterruptedException {
        LinuxSampler sampler = LinuxSampler.open(NodeAccess.local(), System.getProperty("user.home"));
        Thread.sleep(200);
        return sampler.sample();
    }

    @Test
    void cpuHasOneFigurePerProcessorThatNprocCounts() throws Exception {
        int nproc = Integer.parseInt(run("nproc", "--all").trim());

        NodeSample s = sample();

        assertThat(s.cpuPerCore()).hasSize(nproc).allSatisfy(p -> assertThat(p).isBetween(0.0, 100.0));
        assertThat(s.cpuUsage()).isEqualTo(s.cpuPerCore().stream().mapToDouble(d -> d).average().orElseThrow());
        assertThat(s.loadAverage()).hasSize(3).allSatisfy(l -> assertThat(l).isGreaterThanOrEqualTo(0.0));
    }

    @Test
    void memoryAgreesWithFree() throws Exception {
        // free -b:  Mem: total used free shared buff/cache available
        NodeSample s = sample();
        String[] mem = run("free", "-b").lines().filter(l -> l.startsWith("Mem:")).findFirst().orElseThrow()
                .split("\\s+");
        long total = Long.parseLong(mem[1]);
        long free = Long.parseLong(mem[3]);
        long buffCache = Long.parseLong(mem[5]);
        long available = Long.parseLong(mem[6]);

        assertThat(s.memoryTotalBytes()).isEqualTo(total);
        // the two readings are a moment apart on a busy machine: agree within 5 % of the total
        long tolerance = total / 20;
        assertThat(s.memoryAvailableBytes()).isCloseTo(available, org.assertj.core.data.Offset.offset(tolerance));
        // psutil's used is procps 3's: total - free - buffers - cache
        assertThat(s.memoryUsedBytes()).isCloseTo(total - free - buffCache,
                org.assertj.core.data.Offset.offset(tolerance));
    }

    @Test
    void diskFreePercentAgreesWithDf() throws Exception {
        String home = System.getProperty("user.home");
        NodeSample s = sample();
        // df -P -B1: Filesystem 1-blocks Used Available Capacity Mounted-on; Capacity = ceil(used / (used + avail))
        String[] df = run("df", "-P", "-B1", home).lines().skip(1).findFirst().orElseThrow().split("\\s+");
        long used = Long.parseLong(df[2]);
        long available = Long.parseLong(df[3]);
        double freePercent = 100.0 - 100.0 * used / (used + available);

        assertThat(s.diskPath()).isEqualTo(home);
        assertThat(s.diskFreePercent()).isCloseTo(freePercent, org.assertj.core.data.Offset.offset(1.0));
        assertThat(s.diskFreeBytes()).isCloseTo(available, org.assertj.core.data.Offset.offset(1L << 30));
        assertThat(s.tempFreePercent()).isBetween(0.0, 100.0);
    }

    @Test
    void networkCountersAgreeWithSysClassNet() throws Exception {
        long rx = 0;
        long tx = 0;
        List<Path> interfaces;
        try (Stream<Path> s = Files.list(Path.of("/sys/class/net"))) {
            interfaces = s.toList();
        }
        for (Path nic : interfaces) {
            rx += Long.parseLong(Files.readString(nic.resolve("statistics/rx_bytes")).trim());
            tx += Long.parseLong(Files.readString(nic.resolve("statistics/tx_bytes")).trim());
        }
        ProcFiles.ByteCounters proc = ProcFiles.networkBytes(Files.readString(Path.of("/proc/net/dev")));

        // read a moment apart: traffic in between (other helpers' builds) must stay under 64 MiB
        assertThat(proc.in()).isBetween(rx, rx + (64L << 20));
        assertThat(proc.out()).isBetween(tx, tx + (64L << 20));
        NodeSample s = sample();
        assertThat(s.networkRxBytesPerSecond()).isGreaterThanOrEqualTo(0.0);
        assertThat(s.networkTxBytesPerSecond()).isGreaterThanOrEqualTo(0.0);
    }

    @Test
    void diskCountersAgreeWithSysBlockStat() throws Exception {
        // /sys/block/<dev>/stat: reads merged sectors_read ticks writes merged sectors_written ...
        long read = 0;
        long written = 0;
        List<String> devices = List.of(run("ls", "/sys/block").split("\\s+"));
        for (String dev : devices) {
            String[] f = Files.readString(Path.of("/sys/block", dev, "stat")).trim().split("\\s+");
            read += Long.parseLong(f[2]) * 512;
            written += Long.parseLong(f[6]) * 512;
        }
        ProcFiles.ByteCounters proc = ProcFiles.diskBytes(Files.readString(Path.of("/proc/diskstats")),
                java.util.Set.copyOf(devices));

        assertThat(proc.in()).isBetween(read, read + (256L << 20));
        assertThat(proc.out()).isBetween(written, written + (256L << 20));
        NodeSample s = sample();
        assertThat(s.diskReadBytesPerSecond()).isGreaterThanOrEqualTo(0.0);
        assertThat(s.diskWriteBytesPerSecond()).isGreaterThanOrEqualTo(0.0);
    }

    @Test
    void theFirstSampleAfterOpeningAlreadyHasRates() throws Exception {
        NodeSample s = sample();

        assertThat(s.cpuUsage()).isNotNull();
        assertThat(s.diskReadBytesPerSecond()).isNotNull();
        assertThat(s.networkRxBytesPerSecond()).isNotNull();
        assertThat(s.gpus()).isEmpty();
    }
}
