package io.jenkins.plugins.clearml.dispatch;

import io.jenkins.plugins.clearml.client.ClearMLClient;
import io.jenkins.plugins.clearml.client.ClearMLException;
import io.jenkins.plugins.clearml.client.QueueInfo;
import io.jenkins.plugins.clearml.client.TaskQueueState;
import io.jenkins.plugins.clearml.client.TaskStatus;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.logging.Logger;

/**
 * What becomes of a popped task the dispatcher lets go of: back to the front of its queue with the reason, failed
 * after {@link #MAX_START_ATTEMPTS} failed starts, failed (or re-enqueued) when its node is lost, or left alone.
 * Also keeps the {@link HandOffJournal}: a task is in it from its pop until it is claimed or settled here, and the
 * tasks a previous life left in it are settled here before the first pop. The server calls go through a
 * {@link RetryQueue}, so an outage delays them but loses nothing.
 */
final class Settlement implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Settlement.class.getName());
    static final String CHANGED_BY = "Changed by ClearML dispatcher";
    /** Failed starts in a row after which a task is failed instead of returned to its queue. */
    static final int MAX_START_ATTEMPTS = 3;

    private final ClearMLClient client;
    private final DispatchSettings settings;
    private final TickPlanner planner;
    private final Clock clock;
    private final RetryQueue retries = new RetryQueue();
    /** Failed start attempts per task. */
    private final Map<String, Integer> startAttempts = new ConcurrentHashMap<>();
    private final AtomicLong returned = new AtomicLong();
    private final AtomicLong lost = new AtomicLong();
    /** Popped tasks not yet claimed, on disk; null without one. */
    private volatile HandOffJournal journal;
    /** Who the dispatcher is, for the status message of a task recovered after a crash. */
    private volatile String identity = "the ClearML dispatcher";

    Settlement(ClearMLClient client, DispatchSettings settings, TickPlanner planner, Clock clock) {
        this.client = client;
        this.settings = settings;
        this.planner = planner;
        this.clock = clock;
    }

    void keepJournal(HandOffJournal opened, String identity) {
        HandOffJournal previous = journal;
        this.identity = identity;
        this.journal = opened;
        if (previous != null) {
            previous.close();
        }
    }

    Path journalFile() {
        HandOffJournal j = journal;
        return j == null ? null : j.file();
    }

    /** Tasks just popped: on disk (one write for all) until each is claimed or settled. */
    void popped(List<HandOffJournal.Entry> entries) {
        HandOffJournal j = journal;
        if (j != null && !entries.isEmpty()) {
            j.add(entries);
        }
    }

    /** The task was claimed: from now on the server knows who has it. */
    void claimed(HandOffJournal.Entry entry) {
        forget(entry);
    }

    /**
     * A run that tries to start after the dispatcher closed: whether this dispatcher still settles its task (true
     * without a journal), or the dispatcher that took its journal entry over recovers it (false).
     */
    boolean takeBack(HandOffJournal.Entry entry) {
        HandOffJournal j = journal;
        return j == null || j.takeBack(entry);
    }

    /** Settles a task's run that ended ({@code run} null if it was never claimed). */
    void settle(PlacedTask task, ClaimedRun run, RunOutcome outcome, HandOffJournal.Entry entry) {
        RunOutcome effective = run == null && outcome.kind() == RunOutcome.Kind.NODE_LOST
                ? RunOutcome.notStarted(outcome.reason()) : outcome;
        if (run != null && effective.kind() == RunOutcome.Kind.NOT_STARTED) {
            // claimed (in_progress) but never ran: it cannot simply go back to a queue in that state
            String reason = "claimed by " + run.workerId() + " but could not start: " + effective.reason();
            fail(task.taskId(), reason);
            effective = RunOutcome.finished(reason);
        }
        switch (effective.kind()) {
            case NOT_STARTED -> notStarted(task, effective.reason(), entry);
            case NODE_LOST -> nodeLost(task, effective.reason());
            case SKIPPED -> LOG.info("ClearML dispatcher: task " + task.taskId() + " left alone: "
                    + effective.reason());
            case FINISHED -> { }
        }
        if (effective.kind() != RunOutcome.Kind.NOT_STARTED) {
            forget(entry); // (not started: once it is back in its queue, or failed)
        }
        if (run != null) {
            startAttempts.remove(task.taskId());
        }
    }

    /** A claimed run whose runner failed: the task is failed with the error, as the engine would have. */
    RunOutcome failedRun(String taskId, Throwable error) {
        String reason = "the run failed in the dispatcher's runner: " + error;
        fail(taskId, reason);
        return RunOutcome.finished(reason);
    }

    private void fail(String taskId, String reason) {
        retries.add("mark task " + taskId + " failed", () -> client.failed(taskId, reason, CHANGED_BY, true));
    }

    /**
     * A task that could not start goes back to the front of its queue, and the queue rests a little (it would pop
     * the same task again at once); after {@link #MAX_START_ATTEMPTS} failed starts in a row the task is failed
     * with the reason, so one broken task (an image that does not exist) cannot block its queue for ever.
     */
    private void notStarted(PlacedTask task, String reason, HandOffJournal.Entry entry) {
        int attempts = startAttempts.merge(task.taskId(), 1, Integer::sum);
        if (attempts >= MAX_START_ATTEMPTS) {
            startAttempts.remove(task.taskId());
            String statusReason = "could not start after " + attempts + " attempts: " + reason;
            LOG.warning("ClearML dispatcher: task " + task.taskId() + " failed: " + statusReason);
            retries.add("fail task " + task.taskId(), () -> {
                client.failed(task.taskId(), statusReason, CHANGED_BY, true);
                forget(entry);
            });
            return;
        }
        planner.rest(task.queue().id(), clock.instant().plus(settings.pollInterval().multipliedBy(1L << attempts)));
        LOG.info(() -> "ClearML dispatcher: task " + task.taskId() + " goes back to the front of queue "
                + task.queue().name() + ": " + reason);
        returnToFront(task.taskId(), task.queue(), reason, entry);
    }

    /** Puts a popped task back at the head of its queue, retried until the server takes it, then forgets it. */
    private void returnToFront(String taskId, QueueRef queue, String reason, HandOffJournal.Entry entry) {
        returned.incrementAndGet();
        retries.add("return task " + taskId + " to queue " + queue.name(), () -> {
            try {
                client.returnToFront(queue.id(), taskId);
            } catch (ClearMLException e) {
                if (e.resultSubcode() != 706) { // 706: already in the queue (an earlier attempt went through)
                    throw e;
                }
            }
            client.updateStatusMessage(taskId, "returned to the front of queue " + queue.name() + ": " + reason);
            forget(entry);
        });
    }

    private void nodeLost(PlacedTask task, String reason) {
        lost.incrementAndGet();
        LOG.warning("ClearML dispatcher: task " + task.taskId() + " lost: " + reason);
        String statusReason = "Node lost: " + reason;
        if (settings.nodeLossPolicy() == NodeLossPolicy.REQUEUE) {
            retries.add("re-enqueue task " + task.taskId(), () -> {
                client.failed(task.taskId(), statusReason, CHANGED_BY, true);
                client.enqueue(task.taskId(), task.queue().id(), "re-enqueued after its node was lost");
            });
        } else {
            retries.add("fail task " + task.taskId(), () -> client.failed(task.taskId(), statusReason, CHANGED_BY, true));
        }
    }

    /** Puts the journal's removals of the last tick on disk. */
    void flushJournal() {
        HandOffJournal j = journal;
        if (j != null) {
            j.flush();
        }
    }

    private void forget(HandOffJournal.Entry entry) {
        HandOffJournal j = journal;
        if (j != null) {
            j.remove(entry);
        }
    }

    /**
     * Tasks a previous life of this dispatcher popped and never claimed (it crashed): each still {@code queued}
     * and in no queue goes back to the front of its queue; one claimed, changed or re-enqueued meanwhile is only
     * forgotten. Server calls that fail are retried each tick, the entry kept until they succeed. Call on the
     * dispatcher's thread, before popping: {@code inHand} must not change meanwhile.
     */
    void recoverOrphans(Predicate<String> inHand) {
        HandOffJournal j = journal;
        if (j == null) {
            return;
        }
        for (HandOffJournal.Entry entry : j.takeOrphans()) {
            retries.add("recover task " + entry.taskId() + " popped before a restart", () -> recover(entry, inHand));
        }
    }

    private void recover(HandOffJournal.Entry entry, Predicate<String> inHand) throws ClearMLException {
        String taskId = entry.taskId();
        if (inHand.test(taskId)) {
            return; // re-enqueued and popped again by this dispatcher: its new entry replaced this one
        }
        Optional<TaskQueueState> state = client.getTaskQueueState(taskId);
        String leftAlone = null;
        if (state.isEmpty()) {
            leftAlone = "it was deleted";
        } else if (state.get().status() != TaskStatus.QUEUED) {
            leftAlone = "it is " + state.get().status().wireName() + " now (claimed or changed meanwhile)";
        } else {
            Set<String> queues = new LinkedHashSet<>(List.of(entry.queueId()));
            if (state.get().queueId() != null) {
                queues.add(state.get().queueId());
            }
            for (QueueInfo q : client.getQueues(List.copyOf(queues))) {
                if (q.taskIds().contains(taskId)) {
                    leftAlone = "it is back in queue " + q.name();
                }
            }
        }
        if (leftAlone != null) {
            LOG.info("ClearML dispatcher: task " + taskId + ", popped before " + identity + " restarted, is left "
                    + "alone: " + leftAlone);
            forget(entry);
            return;
        }
        LOG.info("ClearML dispatcher: task " + taskId + " was popped from queue " + entry.queueName() + " before "
                + identity + " restarted, and never ran: it goes back to the front of its queue");
        returnToFront(taskId, new QueueRef(entry.queueId(), entry.queueName()),
                identity + " restarted before it ran", entry);
    }

    /** Retries the server calls still pending. */
    void retryDue() {
        retries.runDue();
    }

    /** Whether every server call went through. */
    boolean done() {
        return retries.isEmpty();
    }

    long returnedToQueue() {
        return returned.get();
    }

    long lostToNodes() {
        return lost.get();
    }

    /** A last try of the pending calls; what the journal still holds waits for the next start. */
    @Override
    public void close() {
        retries.runDue();
        HandOffJournal j = journal;
        if (j != null) {
            j.close();
        }
    }
}
