package io.jenkins.plugins.clearml.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.jenkins.plugins.clearml.node.NodeAccess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The NVML binding. Without a GPU here, its ABI (symbols, pointers, struct layouts) is checked against a stand-in
 * library built from src/test/resources/metrics/fake-nvml/fake_nvml.c, which follows nvml.h.
 */
class NvmlGpuSourceTest {

    @TempDir
    Path dir;

    @Test
    void noLibnvidiaMlIsNoError() {
        assumeThat(Files.exists(Path.of("/usr/lib/x86_64-linux-gnu/libnvidia-ml.so.1"))).isFalse();

        assertThat(NvmlGpuSource.open("nvidia-ml")).isNull();
        assertThat(NvmlGpuSource.open(dir.resolve("libnvidia-ml.so.1").toString())).isNull();
    }

    @Test
    void aNodeWithoutAnyGpuToolSamplesWithoutGpus() throws Exception {
        assumeThat(Files.exists(Path.of("/usr/lib/x86_64-linux-gnu/libnvidia-ml.so.1"))).isFalse();
        MetricsSettings settings = MetricsSettings.defaults().withPeriods(java.time.Duration.ofMillis(200),
                java.time.Duration.ofSeconds(1));

        try (NodeSampler sampler = NodeSampler.open(NodeAccess.local(), settings, VisibleGpus.all(), true,
                "nvidia-ml")) {
            assertThat(sampler.gpuSourceName()).isIn("none", "nvidia-smi");
            assertThat(sampler.sample().memoryTotalBytes()).isPositive();
        }
    }

    private Path build(String... flags) throws Exception {
        assumeThat(Files.isExecutable(Path.of("/usr/bin/gcc"))).as("gcc to build the stand-in NVML").isTrue();
        Path src = dir.resolve("fake_nvml.c");
        Files.writeString(src, Fixtures.text("fake-nvml/fake_nvml.c"));
        Path lib = dir.resolve("libfake-nvml" + flags.length + ".so");
        List<String> cmd = new java.util.ArrayList<>(List.of("/usr/bin/gcc", "-shared", "-fPIC", "-O1", "-o",
                lib.toString()));
        cmd.addAll(List.of(flags));
        cmd.add(src.toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(out).isZero();
        return lib;
    }

    @Test
    void readsEveryFieldThroughTheBinding() throws Exception {
        Path lib = build();
        NvmlGpuSource nvml = NvmlGpuSource.open(lib.toString());
        try {
            List<GpuReading> gpus = nvml.read();

            assertThat(nvml.name()).isEqualTo("nvml");
            assertThat(gpus).containsExactly(
                    new GpuReading(0, "GPU-0a0a0a0a-1111-2222-3333-444444444444", 97.0, 70000.0, 143771.0, 61.0,
                            612.4, null),
                    new GpuReading(1, "GPU-1b1b1b1b-5555-6666-7777-888888888888", 0.0, 0.0, 143771.0, 30.0, null,
                            null));
        } finally {
            nvml.close();
        }
        assertThat(nvml.read()).isEmpty();
    }

    @Test
    void aDriverWithoutMemoryInfoV2FallsBackToV1() throws Exception {
        Path lib = build("-DNO_MEMORY_V2");
        NvmlGpuSource nvml = NvmlGpuSource.open(lib.toString());
        try {
            // v1 "used" includes the 512 MiB the driver reserves
            assertThat(nvml.read()).extracting(GpuReading::memoryUsedMiB).containsExactly(70512.0, 512.0);
            assertThat(nvml.read()).extracting(GpuReading::memoryUsedMiB).containsExactly(70512.0, 512.0);
        } finally {
            nvml.close();
        }
    }

    @Test
    void theSamplerPrefersNvmlWhenTheJvmRunsOnTheNode() throws Exception {
        Path lib = build();
        MetricsSettings settings = MetricsSettings.defaults().withPeriods(java.time.Duration.ofMillis(200),
                java.time.Duration.ofSeconds(1));

        try (NodeSampler sampler = NodeSampler.open(NodeAccess.local(), settings, VisibleGpus.parse("1"), true,
                lib.toString())) {
            assertThat(sampler.gpuSourceName()).isEqualTo("nvml");
            assertThat(sampler.sample().gpus()).extracting(GpuReading::index).containsExactly(1);
        }
    }
}
