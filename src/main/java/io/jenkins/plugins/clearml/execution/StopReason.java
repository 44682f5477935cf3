package io.jenkins.plugins.clearml.execution;

import io.jenkins.plugins.clearml.client.TaskStatus;

/**
 * Why a run was stopped before its process ended by itself.
 *
 * @param kind         what happened
 * @param statusReason the reason written with {@code tasks.stopped}, when this agent marks the task
 * @param observed     the status read on the server, for {@link Kind#STATUS_CHANGED}
 */
public record StopReason(Kind kind, String statusReason, TaskStatus observed) {

    /** What stopped the run, and whether this agent then marks the task stopped. */
    public enum Kind {
        /** Abort in the ClearML UI ({@code in_progress} + "stopping"): kill, then {@code tasks.stopped}. */
        USER_ABORT(true),
        /** {@link TaskRun#abort} (a Jenkins build abort, a daemon stopping): kill, then {@code tasks.stopped}. */
        EXTERNAL_ABORT(true),
        /** Someone else set the status (stopped, failed, queued...): kill, no status call. */
        STATUS_CHANGED(false),
        /** The task was reset to {@code created}: kill, no status call. */
        RESET(false),
        /** The task is gone from the server: kill, no status call. */
        NOT_FOUND(false);

        private final boolean marksStopped;

        Kind(boolean marksStopped) {
            this.marksStopped = marksStopped;
        }

        public boolean marksStopped() {
            return marksStopped;
        }
    }

    public static StopReason userAbort() {
        return new StopReason(Kind.USER_ABORT, "task was stopped by tasks.stop", TaskStatus.IN_PROGRESS);
    }

    public static StopReason external(String reason) {
        return new StopReason(Kind.EXTERNAL_ABORT, reason == null || reason.isBlank() ? "aborted" : reason, null);
    }

    public static StopReason statusChanged(TaskStatus status) {
        return new StopReason(Kind.STATUS_CHANGED, "status changed to " + status.wireName(), status);
    }

    public static StopReason reset() {
        return new StopReason(Kind.RESET, "task was reset", TaskStatus.CREATED);
    }

    public static StopReason notFound() {
        return new StopReason(Kind.NOT_FOUND, "task no longer exists", TaskStatus.UNKNOWN);
    }
}
