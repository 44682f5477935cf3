package io.jenkins.plugins.clearml.execution;

import io.jenkins.plugins.clearml.client.TaskState;
import io.jenkins.plugins.clearml.client.TaskStatus;
import java.util.Optional;

/**
 * The real agent's abort test (section 2.9), read after read: {@code in_progress} with a status message containing
 * "stopping" is an abort from the UI; closed, stopped, failed, published or queued mean someone else changed the
 * status; {@code created} read five times in a row means the task was reset; a task that vanished is not found.
 * Not thread-safe: one instance per run, called from one thread.
 */
final class AbortDecision {

    /** Consecutive {@code created} reads that mean "reset" (the real agent warns four times, stops at the fifth). */
    static final int CREATED_READS_FOR_RESET = 5;

    private int createdReads;

    /** The stop to make after this read, or {@code null} to keep running. */
    StopReason next(Optional<TaskState> read) {
        if (read.isEmpty()) {
            return StopReason.notFound();
        }
        TaskState state = read.get();
        TaskStatus status = state.status();
        if (status != TaskStatus.CREATED) {
            createdReads = 0;
        }
        switch (status) {
            case IN_PROGRESS:
                String message = state.statusMessage();
                return message != null && message.contains("stopping") ? StopReason.userAbort() : null;
            case CLOSED, STOPPED, FAILED, PUBLISHED, QUEUED:
                return StopReason.statusChanged(status);
            case CREATED:
                createdReads++;
                return createdReads >= CREATED_READS_FOR_RESET ? StopReason.reset() : null;
            default:
                return null;
        }
    }

    /** Consecutive {@code created} reads so far (for the warning line). */
    int createdReads() {
        return createdReads;
    }
}
