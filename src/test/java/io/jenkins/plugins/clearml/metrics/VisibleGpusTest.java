package io.jenkins.plugins.clearml.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VisibleGpusTest {

    private static GpuReading gpu(int index, String uuid) {
        return new GpuReading(index, uuid, 1.0, 1.0, 2.0, 30.0, 50.0, null);
    }

    private final List<GpuReading> four = List.of(gpu(3, "GPU-d"), gpu(0, "GPU-a"), gpu(1, "GPU-b"), gpu(2, "GPU-c"));

    @Test
    void allByDefaultOrderedByIndex() {
        for (String all : new String[] {null, "", " ", "all", "void"}) {
            assertThat(VisibleGpus.parse(all).filter(four)).extracting(GpuReading::index).containsExactly(0, 1, 2, 3);
        }
    }

    @Test
    void noneMeansNoGpu() {
        assertThat(VisibleGpus.parse("none").filter(four)).isEmpty();
        assertThat(VisibleGpus.parse("none").isNone()).isTrue();
    }

    @Test
    void indexesAndUuids() {
        assertThat(VisibleGpus.parse("2, 0").filter(four)).extracting(GpuReading::index).containsExactly(0, 2);
        assertThat(VisibleGpus.parse("GPU-d,1").filter(four)).extracting(GpuReading::index).containsExactly(1, 3);
    }

    @Test
    void aListThatMatchesNothingReportsEveryGpuAsTheAgentDoes() {
        assertThat(VisibleGpus.parse("MIG-4a2c0f6e-0000-0000-0000-000000000000").filter(four)).hasSize(4);
    }

    @Test
    void fromEnvironmentPrefersNvidiaVisibleDevices() {
        assertThat(VisibleGpus.fromEnvironment(Map.of("NVIDIA_VISIBLE_DEVICES", "1", "CUDA_VISIBLE_DEVICES", "2"))
                .filter(four)).extracting(GpuReading::index).containsExactly(1);
        assertThat(VisibleGpus.fromEnvironment(Map.of("CUDA_VISIBLE_DEVICES", "2")).filter(four))
                .extracting(GpuReading::index).containsExactly(2);
        assertThat(VisibleGpus.fromEnvironment(Map.of()).filter(four)).hasSize(4);
    }
}
