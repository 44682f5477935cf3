package io.jenkins.plugins.clearml.dispatch;

import java.time.Duration;
import java.util.Objects;

/**
 * How the dispatcher paces itself.
 *
 * @param order                queue order: priority (the first queue first) or fair (round robin)
 * @param pollInterval         how often queue metadata is read ({@code queues.get_all}, one call for all queues)
 * @param statusReportInterval how often each busy worker sends {@code workers.status_report} (30 s, as the agent)
 * @param workerTimeout        the {@code timeout} sent with {@code workers.register}
 * @param nodeLossGrace        how long a node may stay offline before its runs count as lost
 * @param nodeLossPolicy       what becomes of a lost run's task
 * @param recheckAfter         a task that waited for a node longer than this between pop and start is re-read
 *                             before it is claimed, so a task aborted while it waited is not run
 */
public record DispatchSettings(
        QueueOrder order,
        Duration pollInterval,
        Duration statusReportInterval,
        int workerTimeoutSeconds,
        Duration nodeLossGrace,
        NodeLossPolicy nodeLossPolicy,
        Duration recheckAfter) {

    public DispatchSettings {
        Objects.requireNonNull(order, "order");
        Objects.requireNonNull(nodeLossPolicy, "nodeLossPolicy");
        if (pollInterval.isNegative() || pollInterval.isZero()) {
            throw new IllegalArgumentException("The poll interval must be positive.");
        }
    }

    /**
     * Poll twice a second, report every 30 s, declare a node lost after 60 s offline and fail its tasks, re-read a
     * task that waited more than 2 s for its node before claiming it.
     */
    public static DispatchSettings defaults() {
        return new DispatchSettings(QueueOrder.PRIORITY, Duration.ofMillis(500), Duration.ofSeconds(30), 600,
                Duration.ofSeconds(60), NodeLossPolicy.FAIL, Duration.ofSeconds(2));
    }

    public DispatchSettings withOrder(QueueOrder value) {
        return new DispatchSettings(value, pollInterval, statusReportInterval, workerTimeoutSeconds, nodeLossGrace,
                nodeLossPolicy, recheckAfter);
    }

    public DispatchSettings withPollInterval(Duration value) {
        return new DispatchSettings(order, value, statusReportInterval, workerTimeoutSeconds, nodeLossGrace,
                nodeLossPolicy, recheckAfter);
    }

    public DispatchSettings withStatusReportInterval(Duration value) {
        return new DispatchSettings(order, pollInterval, value, workerTimeoutSeconds, nodeLossGrace, nodeLossPolicy,
                recheckAfter);
    }

    public DispatchSettings withNodeLoss(Duration grace, NodeLossPolicy policy) {
        return new DispatchSettings(order, pollInterval, statusReportInterval, workerTimeoutSeconds, grace, policy,
                recheckAfter);
    }
}
