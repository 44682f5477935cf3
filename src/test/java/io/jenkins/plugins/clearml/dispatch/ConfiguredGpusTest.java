package io.jenkins.plugins.clearml.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A node's GPUs as an administrator writes them in the node's ClearML property. */
class ConfiguredGpusTest {

    @Test
    void blankMeansDetectNoneMeansNoGpus() {
        assertThat(ConfiguredGpus.parse(null)).isEmpty();
        assertThat(ConfiguredGpus.parse("  ")).isEmpty();
        assertThat(ConfiguredGpus.parse(" None ")).contains(List.of());
    }

    @Test
    void listsRangesAndMigDevices() {
        assertThat(ConfiguredGpus.parse("0,1,2,3")).contains(List.of("0", "1", "2", "3"));
        assertThat(ConfiguredGpus.parse(" 0-2, 5 ")).contains(List.of("0", "1", "2", "5"));
        assertThat(ConfiguredGpus.parse("0:1,0:2")).contains(List.of("0:1", "0:2"));
        assertThat(ConfiguredGpus.problem("0,1")).isEmpty();
    }

    @Test
    void badValuesSayWhatToWrite() {
        assertThatThrownBy(() -> ConfiguredGpus.parse("gpu0"))
                .hasMessage("'gpu0' is not a GPU index: write e.g. 0,1 or 0-3 or 0:1 (MIG). Or 'none' for a node "
                        + "without GPUs, or leave it empty to detect them with nvidia-smi.");
        assertThat(ConfiguredGpus.problem("0-1,1")).contains("GPU 1 is listed twice in '0-1,1': list each GPU once.");
        assertThat(ConfiguredGpus.problem("3-1")).contains("GPU range '3-1' ends before it starts. Or 'none' for a "
                + "node without GPUs, or leave it empty to detect them with nvidia-smi.");
    }
}
