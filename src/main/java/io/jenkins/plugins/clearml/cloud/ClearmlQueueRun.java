package io.jenkins.plugins.clearml.cloud;

import hudson.model.Computer;
import hudson.model.Executor;
import hudson.model.Node;
import io.jenkins.plugins.clearml.client.ClearMLClient;
import io.jenkins.plugins.clearml.config.AgentConfig;
import io.jenkins.plugins.clearml.container.ContainerRunSiteFactory;
import io.jenkins.plugins.clearml.dispatch.ClaimedRun;
import io.jenkins.plugins.clearml.dispatch.PlacedTask;
import io.jenkins.plugins.clearml.dispatch.RunHandle;
import io.jenkins.plugins.clearml.dispatch.RunNotStartedException;
import io.jenkins.plugins.clearml.dispatch.RunOutcome;
import io.jenkins.plugins.clearml.dispatch.RunStart;
import io.jenkins.plugins.clearml.execution.ContainerOptions;
import io.jenkins.plugins.clearml.execution.ExecutionRequest;
import io.jenkins.plugins.clearml.execution.ExecutionResult;
import io.jenkins.plugins.clearml.execution.TaskExecutor;
import io.jenkins.plugins.clearml.execution.TaskRun;
import io.jenkins.plugins.clearml.jenkins.JenkinsNode;
import io.jenkins.plugins.clearml.jenkins.JenkinsNodeFiles;
import io.jenkins.plugins.clearml.node.NodeAccess;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * One placed task on its way through Jenkins: waiting in the build queue, then running on an executor of the node
 * Jenkins chose, with its console kept for the cloud's run page (the full log is on the ClearML task).
 */
public final class ClearmlQueueRun implements RunHandle {

    private static final int CONSOLE_LINES = 5000;

    private final QueueCloudService service;
    private final PlacedTask task;
    private final RunStart start;
    private final ClearmlQueueTask queueTask;
    private final CompletableFuture<RunOutcome> outcome = new CompletableFuture<>();
    private final Deque<String> console = new ArrayDeque<>();
    private final Instant queuedAt = Instant.now();
    private volatile String node;
    private volatile String workerId;
    private volatile boolean executing;
    private volatile String abortReason;
    private TaskRun taskRun;
    private int missed;

    ClearmlQueueRun(QueueCloudService service, PlacedTask task, RunStart start) {
        this.service = service;
        this.task = task;
        this.start = start;
        this.queueTask = new ClearmlQueueTask(this);
    }

    PlacedTask task() {
        return task;
    }

    ClearmlQueueTask queueTask() {
        return queueTask;
    }

    QueueCloudService service() {
        return service;
    }

    public String getTaskId() {
        return task.taskId();
    }

    public String getQueueName() {
        return task.queue().name();
    }

    public String getNode() {
        return node;
    }

    public String getWorkerId() {
        return workerId;
    }

    public Instant getQueuedAt() {
        return queuedAt;
    }

    public String getTaskUrl() {
        return service.webUrl(task.taskId());
    }

    public boolean isExecuting() {
        return executing;
    }

    public synchronized List<String> getConsole() {
        return new ArrayList<>(console);
    }

    synchronized void line(String text) {
        if (console.size() == CONSOLE_LINES) {
            console.removeFirst();
        }
        console.addLast(text);
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
            hudson.model.Queue queue = jenkins.model.Jenkins.get().getQueue();
            queue.cancel(queueTask);
            notStarted(reason);
        }
    }

    /** The executable's body, on the Jenkins executor's thread. */
    void execute() {
        executing = true;
        try {
            outcome.complete(runOnThisExecutor());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            outcome.complete(RunOutcome.finished("interrupted"));
        } catch (Exception e) {
            line("ERROR: " + e);
            outcome.completeExceptionally(e);
        }
    }

    private RunOutcome runOnThisExecutor() throws Exception {
        Computer computer = Executor.currentExecutor().getOwner();
        Node here = computer.getNode();
        if (here == null) {
            return RunOutcome.notStarted("the node it was given to is gone");
        }
        node = JenkinsNodes.nameOf(here);
        ClaimedRun claimed;
        synchronized (this) {
            if (abortReason != null) {
                return RunOutcome.notStarted(abortReason);
            }
        }
        try {
            claimed = start.begin(node);
        } catch (RunNotStartedException e) {
            line("Not running task " + task.taskId() + ": " + e.getMessage());
            return e.outcome();
        }
        workerId = claimed.workerId();
        line("task " + task.taskId() + " pulled from " + task.queue().name() + " by worker " + workerId
                + (claimed.gpus().isEmpty() ? "" : " with GPU(s) " + String.join(",", claimed.gpus())));
        PrintStream log = new PrintStream(new LineOutput(this::line), true, StandardCharsets.UTF_8);
        NodeAccess access = JenkinsNode.access(here.createLauncher(() -> log), here.getRootPath(), Map.of());
        ClearMLClient client = service.client();
        AgentConfig config = service.agentConfig(((JenkinsNodeFiles) access.files()).facts());
        ContainerOptions container = task.template().dockerMode()
                ? new ContainerOptions(task.template().dockerImage().isBlank() ? null : task.template().dockerImage())
                : null;
        TaskExecutor executor = new TaskExecutor(client, config, access);
        if (container != null) {
            executor = executor.withDockerSites(new ContainerRunSiteFactory(config.docker()));
        }
        ExecutionRequest request = new ExecutionRequest(task.taskId(), container, claimed.gpus(), workerId, true, false);
        TaskRun run;
        synchronized (this) {
            run = executor.start(request, this::line);
            taskRun = run;
            if (abortReason != null) {
                run.abort(abortReason);
            }
        }
        ExecutionResult result;
        try {
            result = run.awaitResult();
        } catch (InterruptedException e) {
            run.abort("aborted in Jenkins");
            result = run.awaitResult();
        }
        line("Finished: " + result.status().wireName() + " (" + result.reason() + ")");
        if (!computer.isOnline()) {
            return RunOutcome.nodeLost("node " + node + " went offline during the run (" + result.reason() + ")");
        }
        return RunOutcome.finished(result.status().wireName() + ": " + result.reason());
    }

    /** Collects bytes into lines for the console. */
    private static final class LineOutput extends java.io.OutputStream {
        private final java.util.function.Consumer<String> sink;
        private final java.io.ByteArrayOutputStream buffer = new java.io.ByteArrayOutputStream();

        LineOutput(java.util.function.Consumer<String> sink) {
            this.sink = sink;
        }

        @Override
        public synchronized void write(int b) {
            if (b == '\n') {
                sink.accept(buffer.toString(StandardCharsets.UTF_8));
                buffer.reset();
            } else {
                buffer.write(b);
            }
        }
    }
}
