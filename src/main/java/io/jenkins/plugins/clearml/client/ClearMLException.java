package io.jenkins.plugins.clearml.client;

import java.io.IOException;

/**
 * A call that the server refused, or that could not reach it. {@code resultCode}/{@code resultSubcode} are the
 * envelope's {@code meta.result_code}/{@code result_subcode}; 0 when no envelope was read (network error,
 * garbage answer).
 */
public class ClearMLException extends IOException {

    private final String endpoint;
    private final int resultCode;
    private final int resultSubcode;

    public ClearMLException(String endpoint, int resultCode, int resultSubcode, String message, Throwable cause) {
        super(message, cause);
        this.endpoint = endpoint;
        this.resultCode = resultCode;
        this.resultSubcode = resultSubcode;
    }

    public ClearMLException(String endpoint, int resultCode, int resultSubcode, String message) {
        this(endpoint, resultCode, resultSubcode, message, null);
    }

    public String endpoint() {
        return endpoint;
    }

    public int resultCode() {
        return resultCode;
    }

    public int resultSubcode() {
        return resultSubcode;
    }

    /** 400/101 invalid task id, 400/10 (what tasks.started says for an unknown id). */
    public boolean isTaskNotFound() {
        return resultCode == 400 && (resultSubcode == 101 || resultSubcode == 10 || resultSubcode == 130);
    }

    public boolean isInvalidTaskStatus() {
        return resultCode == 400 && resultSubcode == 110;
    }

    public boolean isAuthenticationFailure() {
        return resultCode == 401;
    }

    /** No envelope was received: connection refused, timeout, 5xx, or an answer that is not ClearML's. */
    public boolean isTransient() {
        return resultCode == 0 || resultCode >= 500;
    }
}
