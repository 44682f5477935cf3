package io.jenkins.plugins.clearml.cloud;

import hudson.model.CauseAction;
import hudson.model.FreeStyleProject;
import hudson.model.Queue;
import hudson.model.Run;
import hudson.model.queue.ScheduleResult;
import io.jenkins.plugins.clearml.client.ClearMLClient;
import io.jenkins.plugins.clearml.client.ClearMLException;
import io.jenkins.plugins.clearml.dispatch.LabelAdmission;
import io.jenkins.plugins.clearml.dispatch.PlacedTask;
import io.jenkins.plugins.clearml.dispatch.RunHandle;
import io.jenkins.plugins.clearml.dispatch.RunOutcome;
import io.jenkins.plugins.clearml.dispatch.RunStart;
import io.jenkins.plugins.clearml.dispatch.TaskRunner;
import io.jenkins.plugins.clearml.jenkins.UserInputException;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.logging.Logger;
import jenkins.model.Jenkins;

/**
 * Hands each placed task to the Jenkins build queue as an item of the cloud's job, with a {@link ClearmlQueueAction}
 * naming the task and carrying the template's label, so Jenkins picks the node (or another cloud provisions one); it
 * then shows in the build queue, on an executor and in the job's history. While it waits, the ClearML task's status
 * message says what for.
 */
final class JenkinsQueueRunner implements TaskRunner {

    private static final Logger LOG = Logger.getLogger(JenkinsQueueRunner.class.getName());

    private final QueueCloudService service;
    private final ClearMLClient client;
    private final LabelAdmission admission;
    private final Map<String, ClearmlQueueRun> runs = new ConcurrentHashMap<>();
    private final ExecutorService messages = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "clearml-queue-messages");
        t.setDaemon(true);
        return t;
    });

    JenkinsQueueRunner(QueueCloudService service, ClearMLClient client, LabelAdmission admission) {
        this.service = service;
        this.client = client;
        this.admission = admission;
    }

    @Override
    public RunHandle start(PlacedTask task, RunStart start) {
        boolean forNewNode = admission.wouldWaitForNode(task.template());
        ClearmlQueueRun run = new ClearmlQueueRun(service, this, task, start);
        runs.put(task.taskId(), run);
        run.outcome().whenComplete((o, e) -> runs.remove(task.taskId(), run));
        String refused = schedule(run);
        if (refused != null) {
            run.notStarted(refused);
            return run;
        }
        String label = task.template().label().isEmpty() ? "any node" : "label '" + task.template().label() + "'";
        String message = forNewNode
                ? "waiting for a Jenkins node with " + label + " (ClearML Queue Cloud '" + service.cloudName() + "')"
                : "waiting for a Jenkins executor on " + label + " (ClearML Queue Cloud '" + service.cloudName() + "')";
        messages.execute(() -> {
            try {
                client.updateStatusMessage(task.taskId(), message);
            } catch (ClearMLException e) {
                LOG.fine(() -> "status message of " + task.taskId() + ": " + e.getMessage());
            }
        });
        return run;
    }

    /** Puts the run in the Jenkins queue; null, or why it was not. */
    private String schedule(ClearmlQueueRun run) {
        FreeStyleProject job;
        try {
            job = service.job();
        } catch (UserInputException | IOException e) {
            return e.getMessage();
        }
        ScheduleResult scheduled = Jenkins.get().getQueue().schedule2(job, 0, run.action(), new CauseAction(run.cause()));
        if (!scheduled.isAccepted()) {
            return "the Jenkins build queue refused it";
        }
        // a new item, or one restored from queue.xml for this very task (then it runs this run)
        run.queued(scheduled.getItem().getId());
        return null;
    }

    /** The run's build could not take it (see {@link ClearmlQueueRun}): a new item waits for another executor. */
    boolean reschedule(ClearmlQueueRun run) {
        String refused = schedule(run);
        if (refused != null) {
            LOG.warning("ClearML Queue Cloud '" + service.cloudName() + "': task " + run.task().taskId()
                    + " could not wait for another executor: " + refused);
        }
        return refused == null;
    }

    ClearmlQueueRun run(String taskId) {
        return runs.get(taskId);
    }

    /**
     * Called each tick, for the runs whose build has not started its step yet. An item cancelled in the Jenkins
     * queue by a user stops the ClearML task too, so it is not popped and scheduled again; items that Jenkins
     * cancelled because the cloud's job was disabled or deleted give their task back to its queue instead. A build
     * that ended before its step ran (e.g. its workspace could not be made) gives the task back to its queue.
     */
    void checkCancelled() {
        Queue queue = Jenkins.get().getQueue();
        for (ClearmlQueueRun run : runs.values()) {
            if (!run.waitingInJenkinsQueue() || run.itemId() < 0 || run.aborting()) {
                continue;
            }
            Queue.Item item = queue.getItem(run.itemId());
            if (item != null && !(item instanceof Queue.LeftItem)) {
                run.found();
                continue;
            }
            boolean cancelled = item instanceof Queue.LeftItem left ? left.isCancelled() : item == null && run.missedOnce();
            if (cancelled && service.jobPaused() != null) {
                run.notStarted("its Jenkins queue item was cancelled: " + service.jobPaused());
            } else if (cancelled) {
                try {
                    client.stop(run.task().taskId(), "cancelled in the Jenkins build queue", true);
                    run.complete(RunOutcome.skipped("cancelled in the Jenkins build queue"));
                } catch (ClearMLException e) {
                    // not stopped: give it back rather than lose it
                    run.complete(RunOutcome.notStarted("cancelled in the Jenkins build queue; could not stop it: "
                            + e.getMessage()));
                }
            } else if (item instanceof Queue.LeftItem left && left.getExecutable() instanceof Run<?, ?> build
                    && !build.isBuilding() && run.waitingInJenkinsQueue()) {
                run.notStarted("its Jenkins build " + build.getFullDisplayName() + " ended before running it");
            }
        }
    }

    void close() {
        messages.shutdown();
    }
}
