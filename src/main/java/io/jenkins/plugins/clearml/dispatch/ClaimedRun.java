package io.jenkins.plugins.clearml.dispatch;

import java.util.List;

/**
 * A task claimed for a run on a node: the task is {@code in_progress} ("pulled by agent"), its worker is
 * registered and reports every 30 s with the task. The runner now runs it with these GPUs, as this worker.
 */
public record ClaimedRun(PlacedTask task, Placement placement, String workerId) {

    public String taskId() {
        return task.taskId();
    }

    public List<String> gpus() {
        return placement.gpus();
    }
}
