package io.jenkins.plugins.clearml.vcs;

/**
 * The code could not be prepared. The message names the cause and the fix, without any secret;
 * {@link #statusReason()} is the short reason written to the task.
 */
public class VcsException extends Exception {

    private final String statusReason;

    public VcsException(String statusReason, String message, Throwable cause) {
        super(message, cause);
        this.statusReason = statusReason;
    }

    public VcsException(String statusReason, String message) {
        this(statusReason, message, null);
    }

    /** e.g. {@code failed cloning repository}, {@code commit not found}, {@code failed applying git diff}. */
    public String statusReason() {
        return statusReason;
    }
}
