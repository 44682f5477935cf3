package io.jenkins.plugins.clearml.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.clearml.node.LocalNode;
import io.jenkins.plugins.clearml.node.NodeAccess;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NvidiaSmiGpuSourceTest {

    static final String TWO_GPUS = "0, GPU-aaaa, 97, 70000, 143771, 61, 612.40, [N/A]\n"
            + "1, GPU-bbbb, [N/A], 0, 143771, 30, [Not Supported], [N/A]\n";

    @TempDir
    java.nio.file.Path dir;

    private NvidiaSmiGpuSource source(FakeNvidiaSmi smi) {
        return new NvidiaSmiGpuSource(LocalNode.get(), Duration.ofMillis(200), smi.program.toString());
    }

    @Test
    void oneLongRunningProcessWithTheQueryAndTheLoopIntervalIsStoppedAtClose() throws Exception {
        FakeNvidiaSmi smi = new FakeNvidiaSmi(dir, TWO_GPUS);
        NvidiaSmiGpuSource source = source(smi);

        assertThat(source.start(Duration.ofSeconds(10))).isTrue();
        List<GpuReading> first = source.read();
        Thread.sleep(700); // several loop periods
        List<GpuReading> later = source.read();
        long pid = smi.pids().get(0);
        source.close();

        assertThat(first).extracting(GpuReading::index).containsExactly(0, 1);
        assertThat(first.get(0).powerWatts()).isEqualTo(612.40);
        assertThat(later).isEqualTo(first);
        assertThat(smi.pids()).hasSize(1);
        assertThat(smi.args()).containsExactly("--query-gpu=" + NvidiaSmiCsv.QUERY
                + " --format=csv,noheader,nounits -lms 200");
        waitUntilDead(pid);
        assertThat(FakeNvidiaSmi.alive(pid)).isFalse();
        assertThat(source.read()).isEmpty();
    }

    @Test
    void readingsFollowTheLoopsLatestLines() throws Exception {
        FakeNvidiaSmi smi = new FakeNvidiaSmi(dir, TWO_GPUS);
        try (NvidiaSmiGpuSource source = source(smi)) {
            assertThat(source.start(Duration.ofSeconds(10))).isTrue();
            smi.lines(TWO_GPUS.replace(" 97, ", " 12, "));

            Double util = null;
            for (int i = 0; i < 100 && !Double.valueOf(12.0).equals(util); i++) {
                Thread.sleep(50);
                util = source.read().get(0).utilization();
            }

            assertThat(util).isEqualTo(12.0);
            assertThat(smi.pids()).hasSize(1);
        }
    }

    @Test
    void anNvidiaSmiWithoutDriverGivesNoSourceAndLeavesNothingRunning() throws Exception {
        FakeNvidiaSmi smi = new FakeNvidiaSmi(dir, TWO_GPUS);
        smi.mode("fail");
        NvidiaSmiGpuSource source = source(smi);

        assertThat(source.start(Duration.ofSeconds(10))).isFalse();
        assertThat(smi.pids()).hasSize(1);
        waitUntilDead(smi.pids().get(0));
        assertThat(FakeNvidiaSmi.alive(smi.pids().get(0))).isFalse();
    }

    @Test
    void noNvidiaSmiAtAllIsNoErrorEither() throws Exception {
        NvidiaSmiGpuSource source = new NvidiaSmiGpuSource(LocalNode.get(), Duration.ofMillis(200),
                dir.resolve("no-such-nvidia-smi").toString());

        assertThat(source.start(Duration.ofSeconds(2))).isFalse();
        assertThat(source.read()).isEmpty();
    }

    @Test
    void aLoopThatEndsIsStartedAgainAtMostThreeTimesInAll() throws Exception {
        FakeNvidiaSmi smi = new FakeNvidiaSmi(dir, TWO_GPUS);
        smi.mode("once");
        try (NvidiaSmiGpuSource source = source(smi)) {
            assertThat(source.start(Duration.ofSeconds(10))).isTrue();
            for (int i = 0; i < 300 && smi.pids().size() < NvidiaSmiGpuSource.MAX_STARTS; i++) {
                source.read();
                Thread.sleep(50);
            }
            for (int i = 0; i < 20; i++) { // and no more, however often it is read
                source.read();
                Thread.sleep(50);
            }
            assertThat(smi.pids()).hasSize(NvidiaSmiGpuSource.MAX_STARTS);
        }
    }

    @Test
    void theSamplerUsesNvidiaSmiForANodeThatIsNotThisJvmAndKeepsTheVisibleGpusOnly() throws Exception {
        FakeNvidiaSmi smi = new FakeNvidiaSmi(dir, TWO_GPUS);
        MetricsSettings settings = new MetricsSettings(Duration.ofMillis(200), Duration.ofSeconds(30), true, "auto",
                smi.program.toString(), null, 100.0);
        NodeAccess node = NodeAccess.local();

        try (NodeSampler sampler = NodeSampler.open(node, settings, VisibleGpus.parse("GPU-bbbb"), false,
                "nvidia-ml")) {
            NodeSample sample = sampler.sample();

            assertThat(sampler.gpuSourceName()).isEqualTo("nvidia-smi");
            assertThat(sample.gpus()).extracting(GpuReading::uuid).containsExactly("GPU-bbbb");
            assertThat(sample.cpuUsage()).isNotNull();
        }
        waitUntilDead(smi.pids().get(0));
        assertThat(FakeNvidiaSmi.alive(smi.pids().get(0))).isFalse();
    }

    @Test
    void gpusNoneStartsNoNvidiaSmi() throws Exception {
        FakeNvidiaSmi smi = new FakeNvidiaSmi(dir, TWO_GPUS);
        MetricsSettings settings = new MetricsSettings(Duration.ofMillis(200), Duration.ofSeconds(30), true, "auto",
                smi.program.toString(), null, 100.0);

        try (NodeSampler sampler = NodeSampler.open(NodeAccess.local(), settings,
                VisibleGpus.fromEnvironment(Map.of("NVIDIA_VISIBLE_DEVICES", "none")), false, "nvidia-ml")) {
            assertThat(sampler.sample().gpus()).isEmpty();
            assertThat(sampler.gpuSourceName()).isEqualTo("none");
        }
        assertThat(smi.pids()).isEmpty();
    }

    static void waitUntilDead(long pid) throws InterruptedException {
        for (int i = 0; i < 100 && FakeNvidiaSmi.alive(pid); i++) {
            Thread.sleep(50);
        }
    }
}
