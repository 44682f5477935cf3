package io.jenkins.plugins.clearml.client;

/** A task's status and status message, read cheaply while it runs (the abort test). */
public record TaskState(TaskStatus status, String statusMessage, String statusReason) {
}
