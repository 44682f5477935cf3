package io.jenkins.plugins.clearml.execution;

import io.jenkins.plugins.clearml.client.TaskStatus;

/**
 * How a run ended: the entry point's exit code, whether it was stopped from outside, and (once reported) the
 * status the task was left in with its reason.
 *
 * @param exitCode    the process's exit code (137 when it was killed); 1 when it never started
 * @param stop        why it was stopped, or {@code null} when it ended by itself
 * @param finalStatus the task's final status, set by {@link ReportFinalStatus}
 * @param reason      the status reason written with it
 */
record RunOutcome(int exitCode, StopReason stop, TaskStatus finalStatus, String reason) {

    RunOutcome(int exitCode, StopReason stop) {
        this(exitCode, stop, null, null);
    }
}
