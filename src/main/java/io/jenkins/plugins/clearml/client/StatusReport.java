package io.jenkins.plugins.clearml.client;

import java.util.List;

/**
 * One {@code workers.status_report}. A null {@code task} clears the worker's current task, a null {@code queue}
 * its current queue; a null {@code queues} leaves the listened queues unchanged.
 *
 * @param timestampMillis epoch milliseconds (the server reads milliseconds although its schema says seconds)
 */
public record StatusReport(
        String worker,
        long timestampMillis,
        String task,
        String queue,
        List<String> queues,
        MachineStats machineStats,
        List<String> tags) {
}
