package io.jenkins.plugins.clearml.dispatch;

import java.util.List;
import java.util.Objects;

/**
 * How the tasks of some ClearML queues run: on which nodes, with how many GPUs each, in which image, how many at
 * once.
 *
 * @param name           shown in logs and on the status page
 * @param queues         the queues served by this template, in priority order
 * @param label          label expression a node must match; blank for any node
 * @param gpusPerTask    GPUs given to each run (0: CPU only)
 * @param dockerImage    image to run in (docker mode); {@code null} for venv mode, blank for the task's own image
 * @param maxConcurrent  runs of this template at once; 0 for no limit beyond the nodes' capacity
 */
public record DispatchTemplate(
        String name, List<QueueRef> queues, String label, int gpusPerTask, String dockerImage, int maxConcurrent) {

    public DispatchTemplate {
        Objects.requireNonNull(name, "name");
        queues = List.copyOf(queues);
        if (queues.isEmpty()) {
            throw new IllegalArgumentException("Template '" + name + "' serves no queue: name at least one ClearML queue.");
        }
        label = label == null ? "" : label.trim();
        if (gpusPerTask < 0) {
            throw new IllegalArgumentException("Template '" + name + "': GPUs per task must be 0 or more, not " + gpusPerTask + ".");
        }
        if (maxConcurrent < 0) {
            throw new IllegalArgumentException("Template '" + name + "': the concurrency limit must be 0 (none) or more, not " + maxConcurrent + ".");
        }
    }

    public boolean dockerMode() {
        return dockerImage != null;
    }
}
