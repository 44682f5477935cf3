package io.jenkins.plugins.clearml.python;

/**
 * The Python environment could not be built. The message names the cause (e.g. the requirement pip could not
 * install, with pip's last lines) and the fix; {@link #statusReason()} is the short reason written to the task.
 */
public class EnvironmentException extends Exception {

    private final String statusReason;

    public EnvironmentException(String statusReason, String message, Throwable cause) {
        super(message, cause);
        this.statusReason = statusReason;
    }

    public EnvironmentException(String statusReason, String message) {
        this(statusReason, message, null);
    }

    public String statusReason() {
        return statusReason;
    }
}
