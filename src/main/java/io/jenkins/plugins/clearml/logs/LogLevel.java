package io.jenkins.plugins.clearml.logs;

/**
 * The levels the real agent gives console events: the task's own output is {@code DEBUG}, the agent's notices
 * {@code INFO}, warnings (a task reset) {@code WARNING} and the abort or failure notice {@code ERROR}.
 */
public enum LogLevel {
    DEBUG, INFO, WARNING, ERROR;

    /** The level as written in a log event. */
    public String wireName() {
        return name();
    }
}
