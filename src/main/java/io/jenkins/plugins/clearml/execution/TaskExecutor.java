package io.jenkins.plugins.clearml.execution;

import io.jenkins.plugins.clearml.client.ClearMLClient;
import io.jenkins.plugins.clearml.client.TaskStatus;
import io.jenkins.plugins.clearml.config.AgentConfig;
import io.jenkins.plugins.clearml.logs.ClientLogSink;
import io.jenkins.plugins.clearml.logs.LogForwarder;
import io.jenkins.plugins.clearml.node.NodeAccess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Runs the reproduce-and-run sequence for one task on one node: the entry point of the engine, shared by the
 * command line, the Pipeline step and the queue cloud.
 *
 * <p>The sequence is a chain of small steps (see {@link #STEPS}), each doing one job and handing an immutable
 * {@link ExecutionPlan} on: task record → plan → run → report. Any step's failure ends the run with one message
 * naming cause and fix, on the console and in the task log, and the task marked failed with the step's reason.
 */
public final class TaskExecutor {

    /** The sequence, in order. Steps that hold something for the rest of the run release it on the way back. */
    static final List<Step> STEPS = List.of(
            new LoadTask(),
            new ReportFinalStatus(),
            new ClaimTask(),
            new WatchTask(),
            new PrepareCode(),
            new CheckEntryPoint(),
            new ComposeEnvironment(),
            new OpenRunSite(),
            new BuildEnvironment(),
            new WriteBackRequirements(),
            new RecordCommit(),
            new MarkExecutionStarting(),
            new RunEntryPoint());

    private final ClearMLClient client;
    private final AgentConfig config;
    private final NodeAccess node;
    private final ExecutorOptions options;

    public TaskExecutor(ClearMLClient client, AgentConfig config, NodeAccess node) {
        this(client, config, node, ExecutorOptions.defaults());
    }

    public TaskExecutor(ClearMLClient client, AgentConfig config, NodeAccess node, ExecutorOptions options) {
        this.client = client;
        this.config = config;
        this.node = node;
        this.options = options;
    }

    /** This executor with docker mode handled by {@code factory} (venv mode stays on the node). */
    public TaskExecutor withDockerSites(RunSiteFactory factory) {
        return new TaskExecutor(client, config, node, options.withDockerSites(factory));
    }

    public TaskExecutor withOptions(ExecutorOptions newOptions) {
        return new TaskExecutor(client, config, node, newOptions);
    }

    public ExecutorOptions options() {
        return options;
    }

    /** Starts the run in the background; the returned handle aborts it or waits for its end. */
    public TaskRun start(ExecutionRequest request, Console console) {
        String workerId = workerId(request);
        String runDir = node.files().resolve(workspaceRoot(), safeName(request.taskId()));
        CompletableFuture<ExecutionResult> result = new CompletableFuture<>();
        RunControl[] control = new RunControl[1];
        Thread thread = new Thread(() -> run(request, console, workerId, runDir, control[0], result),
                "clearml-run-" + request.taskId());
        control[0] = new RunControl(thread);
        thread.start();
        return new Handle(result, control[0]);
    }

    /** Runs to the end. */
    public ExecutionResult execute(ExecutionRequest request, Console console) throws InterruptedException {
        return start(request, console).awaitResult();
    }

    private void run(ExecutionRequest request, Console console, String workerId, String runDir, RunControl control,
            CompletableFuture<ExecutionResult> result) {
        String taskId = request.taskId();
        String url = config.endpoint().taskLogUrl(null, taskId);
        Path spill = options.spillDir() != null ? options.spillDir() : Path.of(System.getProperty("java.io.tmpdir"));
        LogForwarder forwarder = LogForwarder.builder(new ClientLogSink(client), taskId, workerId)
                .spillDir(spill)
                .flushInterval(config.logFlushInterval())
                .notices(line -> {
                    console.line(line);
                    console.flush();
                })
                .build();
        RunLog log = new RunLog(console, forwarder);
        RunContext context = new RunContext(client, config, node, options, log, control,
                new AbortCallback(client, config.abortCallbackMaxTimeout(), log, taskId));
        ExecutionResult ended = new ExecutionResult(taskId, TaskStatus.UNKNOWN, 1, "agent internal error", url);
        try {
            RunOutcome outcome = new Chain(STEPS, 0, context).proceed(ExecutionPlan.of(request, workerId, runDir));
            ended = new ExecutionResult(taskId, outcome.finalStatus(), outcome.exitCode(), outcome.reason(), url);
        } catch (StepFailure f) {
            // The task could not be read: there is nothing on the server to log to or to mark.
            for (String line : f.getMessage().split("\n")) {
                log.consoleOnly(line);
            }
            ended = new ExecutionResult(taskId, TaskStatus.UNKNOWN, 1, f.statusReason(), url);
        } catch (InterruptedException e) {
            log.consoleOnly("Run of task " + taskId + " aborted before the task was read");
            ended = new ExecutionResult(taskId, TaskStatus.UNKNOWN, 1, "aborted", url);
        } catch (Throwable t) {
            log.consoleOnly("Internal error of the agent: " + t);
        } finally {
            try {
                forwarder.drain(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            forwarder.close();
            if (!options.keepRunDir()) {
                try {
                    node.files().deleteRecursively(runDir);
                } catch (Exception e) {
                    console.line("### Could not delete the run folder " + runDir + ": " + e.getMessage() + " ###");
                }
            }
            // Completed last, so that whoever waits finds nothing of the run left: no process, no folder.
            result.complete(ended);
        }
    }

    /** {@code status_message} of the status calls made for a run, as the real agent writes it. */
    public static String changedBy(String workerId) {
        return "Changed by clearml-agent " + workerId;
    }

    /** The worker id: the request's, else the configured one, else {@code <worker name>:<pid>} as a plain execute. */
    String workerId(ExecutionRequest request) {
        if (request.workerId() != null && !request.workerId().isBlank()) {
            return request.workerId();
        }
        if (config.workerId() != null && !config.workerId().isBlank()) {
            return config.workerId();
        }
        return config.workerName() + ":" + ProcessHandle.current().pid();
    }

    private String workspaceRoot() {
        if (options.workspaceRoot() != null && !options.workspaceRoot().isBlank()) {
            return options.workspaceRoot();
        }
        return node.files().resolve(node.files().home(), ".clearml", "workspaces");
    }

    private static String safeName(String taskId) {
        return taskId.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    /** The handle of a run in progress. */
    private record Handle(CompletableFuture<ExecutionResult> result, RunControl control) implements TaskRun {

        @Override
        public void abort(String reason) {
            control.stop(StopReason.external(reason));
        }

        @Override
        public ExecutionResult awaitResult() throws InterruptedException {
            try {
                return result.get();
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException(e.getCause());
            }
        }

        @Override
        public java.util.Optional<ExecutionResult> awaitResult(Duration timeout) throws InterruptedException {
            try {
                return java.util.Optional.of(result.get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS));
            } catch (java.util.concurrent.TimeoutException e) {
                return java.util.Optional.empty();
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException(e.getCause());
            }
        }

        @Override
        public java.util.Optional<io.jenkins.plugins.clearml.metrics.GpuRunSummary> gpuSummary() {
            return result.isDone() ? java.util.Optional.ofNullable(control.gpuSummary()) : java.util.Optional.empty();
        }
    }
}
