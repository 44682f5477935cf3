package io.jenkins.plugins.clearml.client;

/**
 * A task's status and the queue it was last enqueued to ({@code execution.queue}; null if never): enough to tell
 * whether a popped task is still waiting in no queue.
 */
public record TaskQueueState(TaskStatus status, String queueId) {
}
