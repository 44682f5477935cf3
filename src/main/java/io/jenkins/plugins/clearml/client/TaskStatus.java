package io.jenkins.plugins.clearml.client;

import java.util.Locale;

/** Task statuses as the server names them. */
public enum TaskStatus {
    CREATED, QUEUED, IN_PROGRESS, STOPPED, PUBLISHED, PUBLISHING, CLOSED, FAILED, COMPLETED, UNKNOWN;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static TaskStatus fromWire(String value) {
        if (value == null) {
            return UNKNOWN;
        }
        try {
            return valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return UNKNOWN;
        }
    }

    /** Whether the task has ended, one way or another. */
    public boolean isFinal() {
        return this == STOPPED || this == PUBLISHED || this == PUBLISHING || this == CLOSED || this == FAILED
                || this == COMPLETED;
    }
}
