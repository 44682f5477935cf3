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
import io.jenkins.plugins.clearml.execution.TaskRun;
import io.jenkins.plugins.clearml.jenkins.ClearmlRunAction;
import io.jenkins.plugins.clearml.jenkins.JenkinsNode;
import io.jenkins.plugins.clearml.jenkins.JenkinsNodeFiles;
import io.jenkins.plugins.clearml.jenkins.TaskRecord;
import io.jenkins.plugins.clearml.node.NodeAccess;
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
    private final PlacedTask task;
    private final RunStart start;
    private final CompletableFuture<RunOutcome> outcome = new CompletableFuture<>();
    private volatile long itemId = -1;
    private volatile String buildUrl;
    private volatile boolean executing;
    private volatile String abortReason;
    private TaskRun taskRun;
    private int missed;

    ClearmlQueueRun(QueueCloudService service, PlacedTask task, RunStart start) {
        this.service = service;
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

    void queued(long id) {
        itemId = id;
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
            Queue queue = Jenkins.get().getQueue();
            Queue.Item item = itemId < 0 ? null : queue.getItem(itemId);
            if (item != null) {
                queue.cancel(item);
            }
            notStarted(reason);
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
            Thread.currentThread().interrupt();
            ended = new Ended(RunOutcome.finished("interrupted"), TaskStatus.STOPPED);
        } catch (Exception e) {
            log.println("[ClearML] ERROR: " + e);
            outcome.completeExceptionally(e);
            return QueueBuildResult.FAILURE;
        }
        outcome.complete(ended.outcome());
        return QueueBuildResult.of(ended.outcome(), ended.status());
    }

    /** How the run ended, and the task's final status when the engine ran it. */
    private record Ended(RunOutcome outcome, TaskStatus status) {
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
        try {
            NodeAccess access = JenkinsNode.access(launcher, workspace, build.getEnvironment(listener));
            AgentConfig config = service.agentConfig(((JenkinsNodeFiles) access.files()).facts());
            run = startEngine(client, config, access, claimed, new MaskingConsole(log::println, service.secrets()));
            try {
                result = run.awaitResult();
            } catch (InterruptedException e) {
                run.abort("Aborted from Jenkins: build " + build.getFullDisplayName() + " was aborted");
                result = run.awaitResult();
            }
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
