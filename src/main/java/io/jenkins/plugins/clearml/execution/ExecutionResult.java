package io.jenkins.plugins.clearml.execution;

import io.jenkins.plugins.clearml.client.TaskStatus;

/**
 * How a run ended.
 *
 * @param status   the status the task was left in (completed, failed, stopped...)
 * @param exitCode the task process's exit code; non-zero when the run failed before the process started
 * @param reason   one line naming the cause, as written to the task's {@code status_reason}
 * @param taskUrl  the task's page in the ClearML web UI
 */
public record ExecutionResult(String taskId, TaskStatus status, int exitCode, String reason, String taskUrl) {

    public boolean succeeded() {
        return status == TaskStatus.COMPLETED;
    }
}
