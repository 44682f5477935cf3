package io.jenkins.plugins.clearml.dispatch;

/** A task popped from a queue with room reserved for it: what a {@link TaskRunner} is asked to run. */
public record PlacedTask(String taskId, QueueRef queue, DispatchTemplate template, Placement placement) {}
