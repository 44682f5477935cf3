package io.jenkins.plugins.clearml.dispatch;

import io.jenkins.plugins.clearml.client.ClearMLClient;
import io.jenkins.plugins.clearml.client.ClearMLException;
import io.jenkins.plugins.clearml.config.AgentConfig;
import io.jenkins.plugins.clearml.container.ContainerRunSiteFactory;
import io.jenkins.plugins.clearml.execution.Console;
import io.jenkins.plugins.clearml.execution.ContainerOptions;
import io.jenkins.plugins.clearml.execution.ExecutionRequest;
import io.jenkins.plugins.clearml.execution.ExecutionResult;
import io.jenkins.plugins.clearml.execution.TaskExecutor;
import io.jenkins.plugins.clearml.execution.TaskRun;
import io.jenkins.plugins.clearml.node.NodeAccess;
import io.jenkins.plugins.clearml.node.ProcessResult;
import io.jenkins.plugins.clearml.node.ProcessSpec;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadFactory;
import java.util.function.Function;

/**
 * Runs placed tasks with the execution engine ({@link TaskExecutor}) on one node: the daemon's runner. Each run
 * gets its own thread, its GPUs ({@code ExecutionRequest.gpus}, which the engine turns into
 * {@code --gpus "device=…"} and the visible-devices variables) and its worker id. In docker mode the image is
 * pulled <em>before</em> the task is claimed, so a task whose image cannot be pulled goes back to its queue
 * instead of failing.
 */
public final class EngineTaskRunner implements TaskRunner {

    private final ClearMLClient client;
    private final AgentConfig config;
    private final NodeAccess node;
    private final String nodeName;
    private final Function<PlacedTask, Console> consoles;
    private final ThreadFactory threads = Dispatcher.daemonThreads("clearml-run");

    /**
     * @param nodeName the name the placements use for this node (the worker-name prefix)
     * @param consoles where each run's console lines go besides the task log
     */
    public EngineTaskRunner(ClearMLClient client, AgentConfig config, NodeAccess node, String nodeName,
            Function<PlacedTask, Console> consoles) {
        this.client = client;
        this.config = config;
        this.node = node;
        this.nodeName = nodeName;
        this.consoles = consoles;
    }

    @Override
    public RunHandle start(PlacedTask task, RunStart start) {
        EngineRun run = new EngineRun(task, start);
        threads.newThread(run::run).start();
        return run;
    }

    private final class EngineRun implements RunHandle {
        private final PlacedTask task;
        private final RunStart start;
        private final CompletableFuture<RunOutcome> outcome = new CompletableFuture<>();
        private TaskRun taskRun;
        private String abortReason;

        EngineRun(PlacedTask task, RunStart start) {
            this.task = task;
            this.start = start;
        }

        void run() {
            try {
                outcome.complete(runToEnd());
            } catch (InterruptedException e) {
                outcome.complete(RunOutcome.finished("interrupted"));
            } catch (RuntimeException e) {
                outcome.completeExceptionally(e);
            }
        }

        private RunOutcome runToEnd() throws InterruptedException {
            Console console = consoles.apply(task);
            ContainerOptions container = null;
            if (task.template().dockerMode()) {
                String image = task.template().dockerImage().isBlank() ? null : task.template().dockerImage();
                container = new ContainerOptions(image);
                String problem = pullImage(image, console);
                if (problem != null) {
                    return RunOutcome.notStarted(problem);
                }
            }
            ClaimedRun claimed;
            TaskRun started;
            synchronized (this) {
                if (abortReason != null) {
                    return RunOutcome.notStarted(abortReason);
                }
                try {
                    claimed = start.begin(nodeName);
                } catch (RunNotStartedException e) {
                    return e.outcome();
                }
                console.line("task " + task.taskId() + " pulled from " + task.queue().name() + " by worker "
                        + claimed.workerId());
                ExecutionRequest request = new ExecutionRequest(task.taskId(), container, claimed.gpus(),
                        claimed.workerId(), true, false);
                TaskExecutor executor = new TaskExecutor(client, config, node);
                if (container != null) {
                    executor = executor.withDockerSites(new ContainerRunSiteFactory(config.docker()));
                }
                started = executor.start(request, console);
                taskRun = started;
            }
            ExecutionResult result = started.awaitResult();
            return RunOutcome.finished(result.status().wireName() + ": " + result.reason());
        }

        /** Pulls the image if it is not on the node yet; returns why it failed, or null. */
        private String pullImage(String requested, Console console) throws InterruptedException {
            String image = requested;
            if (image == null) {
                try {
                    image = client.getTask(task.taskId()).container().image();
                } catch (ClearMLException e) {
                    return "could not read the task's container image: " + e.getMessage();
                }
            }
            if (image == null || image.isBlank()) {
                image = config.docker() == null ? null : config.docker().defaultImage();
            }
            if (image == null || image.isBlank()) {
                return null; // nothing to pull; the engine reports the missing image
            }
            String docker = config.docker() == null || config.docker().dockerCommand() == null
                    ? "docker" : config.docker().dockerCommand();
            try {
                boolean force = config.docker() != null && config.docker().forcePull();
                if (!force && node.processes().run(ProcessSpec.of(docker, "image", "inspect", image)).succeeded()) {
                    return null;
                }
                console.line("Pulling image " + image);
                ProcessResult pull = node.processes().run(ProcessSpec.of(List.of(docker, "pull", image), null));
                return pull.succeeded() ? null
                        : "image " + image + " could not be pulled: " + pull.tail(3).replace('\n', ' ');
            } catch (IOException e) {
                return "could not run " + docker + " to pull image " + image + ": " + e.getMessage();
            }
        }

        @Override
        public CompletionStage<RunOutcome> outcome() {
            return outcome;
        }

        @Override
        public synchronized void abort(String reason) {
            if (taskRun != null) {
                taskRun.abort(reason);
            } else if (abortReason == null) {
                abortReason = reason;
            }
        }
    }
}
