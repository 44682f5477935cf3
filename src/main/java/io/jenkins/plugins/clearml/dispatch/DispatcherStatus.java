package io.jenkins.plugins.clearml.dispatch;

import java.time.Instant;
import java.util.List;

/**
 * A snapshot for status pages and the daemon's log: each queue's backlog as last read, the runs in hand, totals.
 *
 * @param lastPoll  when queue metadata was last read successfully (null before the first)
 * @param lastError the last error of the poll loop, or null if the last poll succeeded
 */
public record DispatcherStatus(
        List<QueueBacklog> queues,
        List<RunInfo> runs,
        long dispatched,
        long returnedToQueue,
        long lostToNodes,
        Instant lastPoll,
        String lastError) {

    /** A queue and the number of tasks waiting in it. */
    public record QueueBacklog(String template, QueueRef queue, int waiting) {}

    /** A task in hand: waiting for its node, or running as a worker. */
    public record RunInfo(String taskId, QueueRef queue, String template, String node, List<String> gpus,
            String workerId, boolean started, Instant since) {}
}
