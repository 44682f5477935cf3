package io.jenkins.plugins.clearml.cloud;

import hudson.FilePath;
import hudson.Launcher;
import hudson.model.AbstractBuild;
import hudson.model.BuildListener;
import hudson.model.Computer;
import hudson.model.Node;
import hudson.model.Queue;
import io.jenkins.plugins.clearml.client.ClearMLClient;
import io.jenkins.plugins.clearml.client.ClearMLException;
import io.jenkins.plugins.clearml.client.Task;
import io.jenkins.plugins.clearml.client.TaskStatus;
import io.jenkins.plugins.clearml.config.AgentConfig;
import io.jenkins.plugins.clearml.dispatch.ClaimedRun;
import io.jenkins.plugins.clearml.dispatch.PlacedTask;
import io.jenkins.plugins.clearml.dispatch.RunHandle;
import io.jenkins.plugins.clearml.dispatch.RunNotStartedException;
import io.jenkins.plugins.clearml.dispatch.RunOutcome;
import io.jenkins.plugins.clearml.dispatch.RunStart;
import io.jenkins.plugins.clearml.execution.Console;
import io.jenkins.plugins.clearml.execution.ContainerOptions;
import io.jenkins.plugins.clearml.execution.ExecutionRequest;
import io.jenkins.plugins.clearml.execution.ExecutionResult;
import io.jenkins.plugins.clearml.execution.TaskExecutor;
import io.jenkins.plugins.clearml.execution.TaskRun;
import io.jenkins.plugins.clearml.jenkins.ClearmlRunAction;
import io.jenkins.plugins.clearml.jenkins.JenkinsNode;
import io.jenkins.plugins.clearml.jenkins.JenkinsNodeFiles;
import io.jenkins.plugins.clearml.jenkins.TaskRecord;
import io.jenkins.plugins.clearml.node.NodeAccess;
import io.jenkins.plugins.clearml.step.BuildLogConsole;
import io.jenkins.plugins.clearml.step.MaskingConsole;
import io.jenkins.plugins.clearml.step.StepRunner;
import java.io.IOException;
import java.io.PrintStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import jenkins.model.Jenkins;

/**
 * One placed task on its way through Jenkins: an item of the cloud's job in the build queue, then a build of that
 * job, run by {@link ClearmlQueueBuilder} on the node Jenkins chose, with the console in the build log and the task
 * on the build's ClearML page.
 */
public final class ClearmlQueueRun implements RunHandle {

    private final QueueCloudService service;
    private final JenkinsQueueRunner runner;
    private final PlacedTask task;
    private final RunStart start;
    private final CompletableFuture<RunOutcome> outcome = new CompletableFuture<>();
    private volatile long itemId = -1;
    private volatile String buildUrl;
    private volatile boolean executing;
    private volatile String abortReason;
    private TaskRun taskRun;
    private int missed;

    ClearmlQueueRun(QueueCloudService service, JenkinsQueueRunner runner, PlacedTask task, RunStart start) {
        this.service = service;
        this.runner = runner;
        this.task = task;
        this.start = start;
    }

    PlacedTask task() {
        return task;
    }

    /** What the queue item carries: this cloud, this task, the template's label. */
    ClearmlQueueAction action() {
        return new ClearmlQueueAction(service.cloudName(), task.taskId(), task.queue().name(), task.template().label());
    }

    ClearmlQueueCause cause() {
        return new ClearmlQueueCause(service.cloudName(), task.taskId(), task.queue().name());
    }

    /** Its queue item is {@code id} (a new one after {@link #reschedule}); it waits there until a build takes it. */
    synchronized void queued(long id) {
        itemId = id;
        missed = 0;
        buildUrl = null;
        executing = false;
    }

    long itemId() {
        return itemId;
    }

    /** The build's URL (relative to Jenkins' root) once it runs; null while it waits. */
    String buildUrl() {
        return buildUrl;
    }

    boolean waitingInJenkinsQueue() {
        return !executing && !outcome.isDone();
    }

    /** True the second time in a row the item is missing from the queue (it may be just leaving it to start). */
    synchronized boolean missedOnce() {
        return ++missed >= 2;
    }

    /** The item was found in the queue: a later miss starts the count again. */
    synchronized void found() {
        missed = 0;
    }

    /** Whether an abort (cloud reconfigured or stopping) already settles this run. */
    boolean aborting() {
        return abortReason != null;
    }

    void notStarted(String reason) {
        complete(RunOutcome.notStarted(reason));
    }

    void complete(RunOutcome result) {
        outcome.complete(result);
    }

    @Override
    public CompletionStage<RunOutcome> outcome() {
        return outcome;
    }

    @Override
    public void abort(String reason) {
        TaskRun running;
        synchronized (this) {
            abortReason = reason;
            running = taskRun;
        }
        if (running != null) {
            running.abort(reason);
        } else if (!executing) {
            // Settled first, so that the cancelled item is never mistaken for a user's cancel (which stops the task).
            notStarted(reason);
            Queue queue = Jenkins.get().getQueue();
            Queue.Item item = itemId < 0 ? null : queue.getItem(itemId);
            if (item != null) {
                queue.cancel(item);
            }
        }
    }

    /** The build step's body, on the build's executor: the task's end as the build's result. */
    QueueBuildResult execute(AbstractBuild<?, ?> build, Launcher launcher, BuildListener listener) {
        executing = true;
        buildUrl = build.getUrl();
        PrintStream log = listener.getLogger();
        Ended ended;
        try {
            ended = runOnThisExecutor(build, launcher, listener);
        } catch (InterruptedException e) {
            // aborted before the claim: nothing of the task changed, so it goes back to its queue
            Thread.currentThread().interrupt();
            ended = new Ended(RunOutcome.notStarted("the Jenkins build was aborted before the task started"), null);
        } catch (Exception e) {
            log.println("[ClearML] ERROR: " + e);
            outcome.completeExceptionally(e);
            return QueueBuildResult.FAILURE;
        }
        if (ended == Ended.RESCHEDULED) {
            return QueueBuildResult.NOT_BUILT; // the run waits for its next build
        }
        outcome.complete(ended.outcome());
        return QueueBuildResult.of(ended.outcome(), ended.status());
    }

    /** How the run ended, and the task's final status when the engine ran it. */
    private record Ended(RunOutcome outcome, TaskStatus status) {
        /** Not ended: it waits in the Jenkins queue again for another executor. */
        static final Ended RESCHEDULED = new Ended(null, null);
    }

    private Ended runOnThisExecutor(AbstractBuild<?, ?> build, Launcher launcher, BuildListener listener)
            throws Exception {
        PrintStream log = listener.getLogger();
        Node here = build.getBuiltOn();
        FilePath workspace = build.getWorkspace();
        if (here == null || workspace == null) {
            log.println("[ClearML] Not running task " + task.taskId() + ": the node it was given to is gone");
            return new Ended(RunOutcome.notStarted("the node it was given to is gone"), null);
        }
        String node = JenkinsNodes.nameOf(here);
        synchronized (this) {
            if (abortReason != null) {
                log.println("[ClearML] Not running task " + task.taskId() + ": " + abortReason);
                return new Ended(RunOutcome.notStarted(abortReason), null);
            }
        }
        ClaimedRun claimed;
        try {
            claimed = start.begin(node);
        } catch (RunNotStartedException e) {
            if (e.mayTryAnotherNode() && runner.reschedule(this)) {
                // Jenkins gave this node more of our items than its GPUs take (one queue pass places them all
                // before the first one binds its GPUs): not the task's fault, so no failed start is counted.
                log.println("[ClearML] Not running task " + task.taskId() + " here: " + e.getMessage()
                        + " (another build took it first); it waits in the Jenkins queue for another executor.");
                return Ended.RESCHEDULED;
            }
            log.println("[ClearML] Not running task " + task.taskId() + ": " + e.getMessage());
            return new Ended(e.outcome(), null);
        }
        ClearMLClient client = service.client();
        Task read = readTask(client);
        String name = read == null ? null : read.name();
        try {
            build.setDisplayName(QueueBuildText.displayName(build.getNumber(), name, task.taskId()));
            build.setDescription(QueueBuildText.description(task.taskId(), name, task.queue().name(),
                    service.cloudName(), claimed.workerId()));
        } catch (IOException e) {
            // only the build's title: the task is claimed now, and runs
            log.println("[ClearML] Could not name the build after the task: " + e.getMessage());
        }
        String url = service.webUrl(read == null ? null : read.project(), task.taskId());
        log.println("[ClearML] Task " + task.taskId() + (name == null ? "" : " '" + name + "'") + " pulled from "
                + task.queue().name() + " by worker " + claimed.workerId()
                + (claimed.gpus().isEmpty() ? "" : " with GPU(s) " + String.join(",", claimed.gpus())) + ": " + url);
        ClearmlRunAction records = ClearmlRunAction.of(build);
        int position = records.add(TaskRecord.started(task.taskId(), name, service.serverName(), url,
                System.currentTimeMillis()));
        ExecutionResult result = null;
        TaskRun run = null;
        String aborted = "Aborted from Jenkins: build " + build.getFullDisplayName() + " was aborted";
        try {
            NodeAccess access;
            try {
                access = JenkinsNode.access(launcher, workspace, build.getEnvironment(listener));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return stoppedBeforeTheEngine(client, claimed, aborted, log);
            }
            AgentConfig config = service.agentConfig(((JenkinsNodeFiles) access.files()).facts());
            run = startEngine(client, config, access, claimed, new MaskingConsole(new BuildLogConsole(log), service.secrets()));
            result = awaitEnd(run, aborted);
        } finally {
            ExecutionResult end = result;
            TaskRun ran = run;
            records.change(position, r -> end == null
                    ? r.ended(TaskStatus.UNKNOWN, "the build stopped following the task", null, System.currentTimeMillis())
                    : r.ended(end.status(), end.reason(), end.taskUrl(), System.currentTimeMillis())
                            .withGpuSummary(ran.gpuSummary().orElse(null)));
        }
        log.println("[ClearML] Finished: " + result.status().wireName() + " (" + result.reason() + ")");
        Computer computer = here.toComputer();
        if (computer == null || !computer.isOnline()) {
            return new Ended(RunOutcome.nodeLost("node " + node + " went offline during the run (" + result.reason()
                    + ")"), result.status());
        }
        return new Ended(RunOutcome.finished(result.status().wireName() + ": " + result.reason()), result.status());
    }

    /**
     * The build was aborted after the claim, before the engine ran: the task is marked stopped as an abort from
     * Jenkins; if the server cannot be told, the dispatcher marks it failed (a claimed task cannot go back to a
     * queue).
     */
    private Ended stoppedBeforeTheEngine(ClearMLClient client, ClaimedRun claimed, String reason, PrintStream log) {
        log.println("[ClearML] " + reason + " before task " + task.taskId() + " started");
        try {
            client.stopped(task.taskId(), reason, TaskExecutor.changedBy(claimed.workerId()), true);
            return new Ended(RunOutcome.finished(reason), TaskStatus.STOPPED);
        } catch (ClearMLException e) {
            return new Ended(RunOutcome.notStarted(reason), null);
        }
    }

    /**
     * The engine's end. An interrupt (the build aborted) aborts the task, and the wait goes on until the engine has
     * killed its processes: the run's GPUs and workspace are given up only once nothing of the task runs.
     */
    private static ExecutionResult awaitEnd(TaskRun run, String abortReason) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return run.awaitResult();
                } catch (InterruptedException e) {
                    interrupted = true;
                    run.abort(abortReason);
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private Task readTask(ClearMLClient client) {
        try {
            return client.getTask(task.taskId());
        } catch (ClearMLException e) {
            return null; // the name is for display only; the engine reads the task again and reports errors
        }
    }

    private TaskRun startEngine(ClearMLClient client, AgentConfig config, NodeAccess access, ClaimedRun claimed,
            Console console) {
        ContainerOptions container = task.template().dockerMode()
                ? new ContainerOptions(task.template().dockerImage().isBlank() ? null : task.template().dockerImage())
                : null;
        ExecutionRequest request = new ExecutionRequest(task.taskId(), container, claimed.gpus(), claimed.workerId(),
                true, false);
        synchronized (this) {
            taskRun = StepRunner.engine().start(client, config, access, request, console); // as the step runs it
            if (abortReason != null) {
                taskRun.abort(abortReason);
            }
            return taskRun;
        }
    }
}
