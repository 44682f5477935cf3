package io.jenkins.plugins.clearml.execution;

/**
 * A step could not do its job. {@link #getMessage()} is the one clear message for the console and the task log,
 * naming the cause and the fix; {@link #statusReason()} is the short reason written to the task when it is marked
 * failed.
 */
public class StepFailure extends Exception {

    private final String statusReason;
    private final boolean taskKnown;

    public StepFailure(String statusReason, String message, Throwable cause) {
        this(statusReason, message, cause, true);
    }

    public StepFailure(String statusReason, String message) {
        this(statusReason, message, null, true);
    }

    private StepFailure(String statusReason, String message, Throwable cause, boolean taskKnown) {
        super(message, cause);
        this.statusReason = statusReason;
        this.taskKnown = taskKnown;
    }

    /** A failure before the task could be read: there is no task to mark failed. */
    public static StepFailure beforeTask(String statusReason, String message, Throwable cause) {
        return new StepFailure(statusReason, message, cause, false);
    }

    /**
     * A refusal to run a task whose status belongs to someone else (published, no longer queued): the message is
     * shown, the task is left as it is.
     */
    public static StepFailure leavingTaskAsIs(String statusReason, String message) {
        return new StepFailure(statusReason, message, null, false);
    }

    public String statusReason() {
        return statusReason;
    }

    /** Whether the task is to be marked failed (it exists, and its status is ours to change). */
    public boolean taskKnown() {
        return taskKnown;
    }
}
