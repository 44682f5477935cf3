package io.jenkins.plugins.clearml.cloud;

import io.jenkins.plugins.clearml.client.TaskStatus;
import io.jenkins.plugins.clearml.dispatch.RunOutcome;
import io.jenkins.plugins.clearml.step.BuildOutcome;

/**
 * The result of a ClearML Queue Cloud build, named as Jenkins names its results ({@code Result.fromString}): the
 * task's end mapped as the {@code clearmlExecute} step maps it, and NOT_BUILT for a task that did not run here.
 */
enum QueueBuildResult {
    SUCCESS,
    FAILURE,
    ABORTED,
    NOT_BUILT;

    /**
     * @param status the task's final status as the engine set it; null when the engine gave no answer
     */
    static QueueBuildResult of(RunOutcome outcome, TaskStatus status) {
        return switch (outcome.kind()) {
            // returned to its queue, or left alone: another run will do it, or nobody should
            case NOT_STARTED, SKIPPED -> NOT_BUILT;
            case NODE_LOST -> FAILURE;
            case FINISHED -> status == null ? FAILURE : switch (BuildOutcome.of(status)) {
                case SUCCESS -> SUCCESS;
                case ABORTED -> ABORTED;
                case FAILURE -> FAILURE;
            };
        };
    }
}
