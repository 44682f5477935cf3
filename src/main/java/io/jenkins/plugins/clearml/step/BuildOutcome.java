package io.jenkins.plugins.clearml.step;

import io.jenkins.plugins.clearml.client.TaskStatus;

/**
 * The build result a task's end maps to. Kept free of Jenkins types; the step turns it into a {@code Result}.
 */
public enum BuildOutcome {
    /** The task completed (or was published right away). */
    SUCCESS,
    /** The task failed, or ended in a state that is not a completion. */
    FAILURE,
    /** The task was stopped: aborted in the ClearML UI or from Jenkins. */
    ABORTED;

    public static BuildOutcome of(TaskStatus status) {
        return switch (status) {
            case COMPLETED, PUBLISHED, PUBLISHING -> SUCCESS;
            case STOPPED -> ABORTED;
            default -> FAILURE;
        };
    }
}
