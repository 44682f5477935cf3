package io.jenkins.plugins.clearml.jenkins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.jenkins.plugins.clearml.client.TaskStatus;
import io.jenkins.plugins.clearml.metrics.GpuReading;
import io.jenkins.plugins.clearml.metrics.GpuRunSummary;
import io.jenkins.plugins.clearml.metrics.NodeSample;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClearmlRunActionTest {

    @Test
    void aTaskIsShownRunningThenWithItsEnd() {
        ClearmlRunAction action = new ClearmlRunAction();
        int at = action.add(TaskRecord.started("t1", "train", "prod", "http://web/projects/p/experiments/t1/output/log",
                1_000));
        assertThat(action.getTasks().get(0).isRunning()).isTrue();
        assertThat(action.getTasks().get(0).getDurationText()).isEqualTo("running");
        assertThat(action.getBadgeText()).isEqualTo("ClearML: 1 task (in_progress)");

        action.change(at, r -> r.ended(TaskStatus.COMPLETED, "", null, 126_000));
        TaskRecord done = action.getTasks().get(0);
        assertThat(done.getStatus()).isEqualTo("completed");
        assertThat(done.getDurationMillis()).isEqualTo(125_000);
        assertThat(done.getDurationText()).isEqualTo("2 min 5 s");
        assertThat(done.getUrl()).isEqualTo("http://web/projects/p/experiments/t1/output/log");
        assertThat(action.isAllSuccessful()).isTrue();
    }

    @Test
    void theGpuUseTheMonitorSummedUpIsShownExactlyWithItsChart() {
        GpuRunSummary summary = new GpuRunSummary();
        for (int i = 0; i < 600; i++) {
            // a short spike in a long run: the chart's points average it away, the peak must not
            double util = i == 300 ? 100.0 : 10.0;
            summary.add(new NodeSample(1_000L * i, 1.0, List.of(), null, List.of(), null, null, null, null, null, null,
                    null, null, null, null, null,
                    List.of(new GpuReading(0, "GPU-0", util, i == 300 ? 9000.0 : 1000.0, 80000.0, 50.0, 100.0, null))));
        }
        TaskRecord record = TaskRecord.started("t", "train", "prod", null, 0).ended(TaskStatus.COMPLETED, "", null, 600_000)
                .withGpuSummary(summary);

        GpuUsageRecord gpu = record.getGpuUsage().get(0);
        assertThat(gpu.getIndex()).isZero();
        assertThat(gpu.getPeakUtilizationText()).isEqualTo("100%");
        assertThat(gpu.getMeanUtilizationPercent()).isCloseTo(10.15, within(0.01));
        assertThat(gpu.getPeakMemoryText()).isEqualTo("9000 / 80000 MiB");
        assertThat(gpu.getUtilizationPercent()).hasSizeLessThanOrEqualTo(240);
        assertThat(record.getGpuChartSvg()).startsWith("<svg").doesNotContain("<script");
        // a run without GPUs keeps the record as it was
        assertThat(record.withGpuSummary(new GpuRunSummary()).getGpuChartSvg()).isEqualTo(record.getGpuChartSvg());
        assertThat(TaskRecord.started("u", "x", "prod", null, 0).withGpuSummary(null).getGpuChartSvg()).isNull();
    }

    @Test
    void severalTasksAreListedInOrderAndTheBadgeSummarisesThem() {
        ClearmlRunAction action = new ClearmlRunAction();
        action.add(TaskRecord.started("a", "", "prod", null, 0).ended(TaskStatus.COMPLETED, "", "https://w/a", 10));
        action.add(TaskRecord.started("b", "eval", "prod", null, 0).ended(TaskStatus.FAILED, "exit 1", "https://w/b", 10));
        assertThat(action.getTasks()).extracting(TaskRecord::getName).containsExactly("a", "eval");
        assertThat(action.getBadgeText()).isEqualTo("ClearML: 2 tasks (completed, failed)");
        assertThat(action.isAllSuccessful()).isFalse();
    }

    @Test
    void theActionIsAPageUnderTheBuildWithTheIcon() {
        ClearmlRunAction action = new ClearmlRunAction();
        assertThat(action.getUrlName()).isEqualTo("clearml");
        assertThat(action.getIconFileName()).isEqualTo("/plugin/clearml/images/clearml.svg");
        assertThat(action.getDisplayName()).isEqualTo("ClearML");
    }

    @Test
    void onlyHttpLinksAreRendered() {
        assertThat(TaskRecord.started("t", "n", "s", "javascript:alert(1)", 0).getLinkUrl()).isNull();
        assertThat(TaskRecord.started("t", "n", "s", "HTTPS://app/x", 0).getLinkUrl()).isEqualTo("HTTPS://app/x");
        assertThat(TaskRecord.started("t", "n", "s", null, 0).getLinkUrl()).isNull();
    }

    @Test
    void perGpuSamplesCanBeKeptWithATaskAndSummarised() {
        GpuUsageRecord gpu = new GpuUsageRecord(0, "H200", 5, List.of(10.0, 90.0, 50.0), List.of(1000.0, 4000.0),
                141_000);
        TaskRecord record = TaskRecord.started("t", "n", "s", null, 0).withGpuUsage(List.of(gpu))
                .ended(TaskStatus.COMPLETED, "", null, 5);
        assertThat(record.getGpuUsage()).hasSize(1);
        GpuUsageRecord kept = record.getGpuUsage().get(0);
        assertThat(kept.getMeanUtilizationText()).isEqualTo("50%");
        assertThat(kept.getPeakUtilizationText()).isEqualTo("90%");
        assertThat(kept.getPeakMemoryText()).isEqualTo("4000 / 141000 MiB");
        assertThat(TaskRecord.started("t", "n", "s", null, 0).getGpuUsage()).isEmpty();
    }

    @Test
    void durationsReadNaturally() {
        assertThat(Durations.format(850)).isEqualTo("850 ms");
        assertThat(Durations.format(42_000)).isEqualTo("42 s");
        assertThat(Durations.format(7_800_000)).isEqualTo("2 h 10 min");
        assertThat(Durations.format(-1)).isEmpty();
    }
}
