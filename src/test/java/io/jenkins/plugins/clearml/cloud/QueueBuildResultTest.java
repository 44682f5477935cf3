package io.jenkins.plugins.clearml.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.clearml.client.TaskStatus;
import io.jenkins.plugins.clearml.dispatch.RunOutcome;
import org.junit.jupiter.api.Test;

/** A queue cloud build ends as the clearmlExecute step would for the same task end. */
class QueueBuildResultTest {

    @Test
    void theTasksEndDecidesAsForTheStep() {
        RunOutcome finished = RunOutcome.finished("done");
        assertThat(QueueBuildResult.of(finished, TaskStatus.COMPLETED)).isEqualTo(QueueBuildResult.SUCCESS);
        assertThat(QueueBuildResult.of(finished, TaskStatus.PUBLISHED)).isEqualTo(QueueBuildResult.SUCCESS);
        assertThat(QueueBuildResult.of(finished, TaskStatus.FAILED)).isEqualTo(QueueBuildResult.FAILURE);
        assertThat(QueueBuildResult.of(finished, TaskStatus.STOPPED)).isEqualTo(QueueBuildResult.ABORTED);
        assertThat(QueueBuildResult.of(finished, null)).isEqualTo(QueueBuildResult.FAILURE);
    }

    @Test
    void aTaskThatDidNotRunHereIsNotBuiltAndALostNodeIsAFailure() {
        assertThat(QueueBuildResult.of(RunOutcome.notStarted("back to the queue"), null))
                .isEqualTo(QueueBuildResult.NOT_BUILT);
        assertThat(QueueBuildResult.of(RunOutcome.skipped("aborted while waiting"), null))
                .isEqualTo(QueueBuildResult.NOT_BUILT);
        assertThat(QueueBuildResult.of(RunOutcome.nodeLost("offline"), TaskStatus.COMPLETED))
                .isEqualTo(QueueBuildResult.FAILURE);
    }

    @Test
    void everyResultIsAJenkinsResultName() {
        // Result.fromString falls back to FAILURE for an unknown name: the names must be Jenkins' own.
        assertThat(QueueBuildResult.values()).extracting(Enum::name)
                .containsExactly("SUCCESS", "FAILURE", "ABORTED", "NOT_BUILT");
    }
}
