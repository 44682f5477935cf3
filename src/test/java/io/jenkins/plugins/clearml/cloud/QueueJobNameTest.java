package io.jenkins.plugins.clearml.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.clearml.cloud.QueueJobName.Fit;
import org.junit.jupiter.api.Test;

/** The cloud's job: which name, whether Jenkins would take it, and whether an existing item may be used. */
class QueueJobNameTest {

    @Test
    void blankMeansClearmlDashCloudNameWithUnsafeCharactersReplaced() {
        assertThat(QueueJobName.of("gpu", null)).isEqualTo("clearml-gpu");
        assertThat(QueueJobName.of("gpu", "  ")).isEqualTo("clearml-gpu");
        assertThat(QueueJobName.of("a100/prod: 1", "")).isEqualTo("clearml-a100-prod- 1");
        assertThat(QueueJobName.problem(QueueJobName.of("x?y*z#", ""))).isNull();
    }

    @Test
    void aConfiguredNameIsTakenTrimmed() {
        assertThat(QueueJobName.of("gpu", "  ml-runs ")).isEqualTo("ml-runs");
    }

    @Test
    void namesJenkinsRefusesAreRefusedWithTheReason() {
        assertThat(QueueJobName.problem("ml-runs")).isNull();
        assertThat(QueueJobName.problem("ml runs (gpu)")).isNull();
        assertThat(QueueJobName.problem("team/runs")).contains("'/'").contains("does not allow");
        assertThat(QueueJobName.problem("..")).contains("cannot be a job name");
        assertThat(QueueJobName.problem("")).contains("empty");
        assertThat(QueueJobName.problem("a\tb")).contains("control character");
    }

    @Test
    void onlyAFreestyleProjectWithTheQueueStepIsUsedNothingIsTakenOver() {
        assertThat(QueueJobName.fit(false, false, false)).isEqualTo(Fit.CREATE);
        assertThat(QueueJobName.fit(true, true, true)).isEqualTo(Fit.USE);
        assertThat(QueueJobName.fit(true, true, false)).isEqualTo(Fit.CONFLICT); // a user's freestyle job
        assertThat(QueueJobName.fit(true, false, false)).isEqualTo(Fit.CONFLICT); // a Pipeline, a folder
    }

    @Test
    void theConflictMessageNamesTheItemAndBothWaysOut() {
        String message = QueueJobName.conflict("clearml-gpu", "gpu", "WorkflowJob");
        assertThat(message).contains("'clearml-gpu'", "WorkflowJob", "ClearML Queue Cloud 'gpu'",
                "Rename or delete that item", "Clouds \u00bb gpu \u00bb Job name");
    }

    @Test
    void theJobUrlEncodesTheNameAsAPathSegment() {
        assertThat(QueueJobName.url("clearml-gpu")).isEqualTo("job/clearml-gpu/");
        assertThat(QueueJobName.url("ml runs+1")).isEqualTo("job/ml%20runs%2B1/");
    }
}
