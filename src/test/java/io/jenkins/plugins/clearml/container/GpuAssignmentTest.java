package io.jenkins.plugins.clearml.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GpuAssignmentTest {

    @Test
    void listBecomesQuotedDeviceFlagAndVariables() {
        GpuAssignment g = new GpuAssignment(List.of("1", "3"));
        assertThat(g.dockerOptions()).containsExactly("--gpus", "\"device=1,3\"");
        assertThat(g.environment()).containsExactlyInAnyOrderEntriesOf(
                Map.of("NVIDIA_VISIBLE_DEVICES", "1,3", "CUDA_VISIBLE_DEVICES", "0,1"));
    }

    @Test
    void noGpusNoFlag() {
        assertThat(new GpuAssignment(List.of()).dockerOptions()).isEmpty();
        assertThat(new GpuAssignment(null).environment()).isEmpty();
        assertThat(new GpuAssignment(List.of("none")).dockerOptions()).isEmpty();
    }

    @Test
    void allAndMig() {
        assertThat(new GpuAssignment(List.of("all")).dockerOptions()).containsExactly("--gpus", "all");
        assertThat(new GpuAssignment(List.of("0.1", "0.2")).dockerOptions()).containsExactly("--gpus", "\"device=0:1,0:2\"");
    }
}
