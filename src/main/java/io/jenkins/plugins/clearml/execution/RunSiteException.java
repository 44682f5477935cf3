package io.jenkins.plugins.clearml.execution;

/**
 * A run site could not be opened (image pull failed, a docker argument was refused...). The message names the cause
 * and the fix; {@link #statusReason()} is the short reason written to the task.
 */
public class RunSiteException extends Exception {

    private final String statusReason;

    public RunSiteException(String statusReason, String message, Throwable cause) {
        super(message, cause);
        this.statusReason = statusReason;
    }

    public RunSiteException(String statusReason, String message) {
        this(statusReason, message, null);
    }

    public String statusReason() {
        return statusReason;
    }
}
