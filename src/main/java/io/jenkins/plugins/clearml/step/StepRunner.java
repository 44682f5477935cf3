package io.jenkins.plugins.clearml.step;

import io.jenkins.plugins.clearml.client.ClearMLClient;
import io.jenkins.plugins.clearml.client.ClearMLException;
import io.jenkins.plugins.clearml.client.ClientSettings;
import io.jenkins.plugins.clearml.client.Task;
import io.jenkins.plugins.clearml.client.TaskStatus;
import io.jenkins.plugins.clearml.config.AgentConfig;
import io.jenkins.plugins.clearml.container.ContainerRunSiteFactory;
import io.jenkins.plugins.clearml.execution.Console;
import io.jenkins.plugins.clearml.execution.ExecutionRequest;
import io.jenkins.plugins.clearml.execution.ExecutionResult;
import io.jenkins.plugins.clearml.execution.ExecutorOptions;
import io.jenkins.plugins.clearml.execution.TaskExecutor;
import io.jenkins.plugins.clearml.execution.TaskRun;
import io.jenkins.plugins.clearml.jenkins.AgentConfigFactory;
import io.jenkins.plugins.clearml.jenkins.NodeFacts;
import io.jenkins.plugins.clearml.jenkins.PluginSettings;
import io.jenkins.plugins.clearml.jenkins.ServerSettings;
import io.jenkins.plugins.clearml.jenkins.TaskRecord;
import io.jenkins.plugins.clearml.jenkins.UserInputException;
import io.jenkins.plugins.clearml.node.NodeAccess;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * The body of one {@code clearmlExecute} run, free of Jenkins types: log in, read the task, record it on the build,
 * run it through the engine, and end the step exactly once with the task's outcome; and the abort protocol (first
 * abort stops the task and waits for its cleanup, at most {@code abortGrace}; a second abort ends the step at once).
 * The Jenkins step supplies the ports and turns {@link Failure}s into exceptions.
 */
public final class StepRunner {

    /** Opens the node the step runs on: its ports, and the facts read from it. */
    @FunctionalInterface
    public interface NodeOpener {
        OpenedNode open() throws IOException, InterruptedException;
    }

    /** The node's ports and its home, temporary folder and host name. */
    public record OpenedNode(NodeAccess access, NodeFacts facts) {
    }

    /** Starts the engine; {@link TaskExecutor} in production. */
    @FunctionalInterface
    public interface RunStarter {
        TaskRun start(ClearMLClient client, AgentConfig config, NodeAccess node, ExecutionRequest request, Console console);
    }

    /** The build's list of tasks (the build action). */
    public interface Records {
        int add(TaskRecord record);

        void update(int position, UnaryOperator<TaskRecord> change);
    }

    /** Where the step's end goes: the step context in Jenkins. Called exactly once. */
    public interface Completion {
        void succeeded(Map<String, Object> value);

        void failed(Failure failure);
    }

    /**
     * Why a step failed.
     *
     * @param cause the exception for {@link Kind#ERROR}, the Jenkins interruption for {@link Kind#ABORTED}
     */
    public record Failure(Kind kind, String message, Throwable cause) {

        /** How the failure shows in Jenkins. */
        public enum Kind {
            /** Bad input or configuration, found before the task ran: one line, build FAILURE. */
            INPUT,
            /** The task ended failed: one line, build FAILURE. */
            TASK_FAILED,
            /** The task was stopped outside Jenkins: build ABORTED. */
            TASK_STOPPED,
            /** The build was aborted in Jenkins. */
            ABORTED,
            /** Anything else (lost agent, server errors): the exception, build FAILURE. */
            ERROR
        }
    }

    private final StepPlan plan;
    private final PluginSettings settings;
    private final NodeOpener nodeOpener;
    private final Function<ClientSettings, ClearMLClient> clients;
    private final RunStarter starter;
    private final Records records;
    private final Console log;
    private final Completion completion;
    private final Duration abortGrace;

    private final AtomicBoolean done = new AtomicBoolean();
    private volatile Thread worker;
    private TaskRun taskRun;
    private Throwable stopCause;

    public StepRunner(StepPlan plan, PluginSettings settings, NodeOpener nodeOpener,
            Function<ClientSettings, ClearMLClient> clients, RunStarter starter, Records records, Console log,
            Completion completion, Duration abortGrace) {
        this.plan = plan;
        this.settings = settings;
        this.nodeOpener = nodeOpener;
        this.clients = clients;
        this.starter = starter;
        this.records = records;
        this.log = log;
        this.completion = completion;
        this.abortGrace = abortGrace;
    }

    /** The engine, as the step runs it: venv mode on the node, or docker mode through the node's docker command. */
    public static RunStarter engine() {
        return (client, config, node, request, console) -> {
            ExecutorOptions options = ExecutorOptions.defaults();
            if (request.dockerMode()) {
                options = options.withDockerSites(new ContainerRunSiteFactory(config.docker()));
            }
            return new TaskExecutor(client, config, node, options).start(request, console);
        };
    }

    /** Runs on a daemon thread of its own; returns at once. */
    public void startThread(String name) {
        Thread thread = new Thread(this::run, name);
        thread.setDaemon(true);
        worker = thread;
        thread.start();
    }

    /** The run, on the calling thread. Always ends the step. */
    public void run() {
        if (worker == null) {
            worker = Thread.currentThread();
        }
        int position = -1;
        String taskId = plan.request().taskId();
        try {
            OpenedNode node = nodeOpener.open();
            ClientSettings clientSettings = ClientSettings.of(plan.server().endpoint(), plan.keys(),
                    node.facts().hostName());
            try (ClearMLClient client = clients.apply(clientSettings)) {
                Task task = preflight(client, plan.server(), taskId);
                String url = plan.server().endpoint().taskLogUrl(task.project(), taskId);
                position = records.add(TaskRecord.started(taskId, task.name(), plan.server().name(), url,
                        System.currentTimeMillis()));
                log.line("[ClearML] Task '" + task.name() + "': " + url);

                AgentConfig config = AgentConfigFactory.create(plan.server(), plan.keys(), plan.gitUser(),
                        plan.gitPassword(), settings, node.facts());
                Console console = new MaskingConsole(log, Arrays.asList(plan.keys().secretKey(), plan.gitPassword()));
                TaskRun started;
                synchronized (this) {
                    if (stopCause != null) {
                        throw new InterruptedException("aborted before the task started");
                    }
                    taskRun = starter.start(client, config, node.access(), plan.request(), console);
                    started = taskRun;
                }
                ExecutionResult result = started.awaitResult();
                records.update(position, r -> r.ended(result.status(), result.reason(), result.taskUrl(),
                        System.currentTimeMillis()).withGpuSummary(started.gpuSummary().orElse(null)));
                position = -1;
                String summary = StepResult.summary(result, task.name());
                log.line("[ClearML] " + summary);
                finish(result, summary);
            }
        } catch (UserInputException e) {
            fail(new Failure(Failure.Kind.INPUT, e.getMessage(), e));
        } catch (Throwable t) {
            Throwable cause = currentStopCause();
            fail(cause != null
                    ? new Failure(Failure.Kind.ABORTED, "aborted", cause)
                    : new Failure(Failure.Kind.ERROR, String.valueOf(t.getMessage()), t));
        } finally {
            if (position >= 0) {
                // Ended without the engine's answer: do not leave the task shown as running.
                records.update(position, r -> r.ended(TaskStatus.UNKNOWN, "the build stopped following the task",
                        null, System.currentTimeMillis()));
            }
        }
    }

    /** Logs in and reads the task, so that wrong keys or a wrong id fail before anything runs on the node. */
    static Task preflight(ClearMLClient client, ServerSettings server, String taskId)
            throws UserInputException, ClearMLException {
        try {
            client.login();
        } catch (ClearMLException e) {
            if (e.isAuthenticationFailure()) {
                throw new UserInputException("ClearML server '" + server.name() + "' refused the access key of "
                        + "credentials '" + server.credentialsId() + "': update them in Manage Jenkins \u00bb Credentials.");
            }
            throw e;
        }
        try {
            return client.getTask(taskId);
        } catch (ClearMLException e) {
            if (e.isTaskNotFound()) {
                throw new UserInputException("ClearML server '" + server.name() + "' has no task " + taskId
                        + ": check the id (the task's INFO tab) and the server.");
            }
            throw e;
        }
    }

    private void finish(ExecutionResult result, String summary) {
        Throwable cause = currentStopCause();
        if (cause != null) {
            fail(new Failure(Failure.Kind.ABORTED, summary, cause));
            return;
        }
        switch (BuildOutcome.of(result.status())) {
            case SUCCESS -> {
                if (done.compareAndSet(false, true)) {
                    completion.succeeded(StepResult.toMap(result));
                }
            }
            case ABORTED -> fail(new Failure(Failure.Kind.TASK_STOPPED, summary, null));
            default -> fail(new Failure(Failure.Kind.TASK_FAILED, summary, null));
        }
    }

    private void fail(Failure failure) {
        if (done.compareAndSet(false, true)) {
            completion.failed(failure);
        }
    }

    private synchronized Throwable currentStopCause() {
        return stopCause;
    }

    /**
     * The build was aborted. The first call stops the task (the engine kills its processes, removes its container
     * and marks it stopped with {@code reason}) and lets the run end the step once that is done, or ends it after
     * the grace period; a second call ends the step at once.
     */
    public void stop(Throwable cause, String reason) {
        boolean first;
        TaskRun running;
        synchronized (this) {
            first = stopCause == null;
            if (first) {
                stopCause = cause;
            }
            running = taskRun;
        }
        Failure aborted = new Failure(Failure.Kind.ABORTED, reason, cause);
        if (!first) {
            fail(aborted);
            return;
        }
        Thread thread = worker;
        if (running != null) {
            running.abort(reason);
        } else if (thread != null) {
            // Still preparing (opening the node, logging in): interrupt that; the run then ends the step.
            thread.interrupt();
        } else {
            fail(aborted);
            return;
        }
        CompletableFuture.delayedExecutor(abortGrace.toMillis(), TimeUnit.MILLISECONDS).execute(() -> fail(aborted));
    }

    /** Whether the step has ended. */
    public boolean isDone() {
        return done.get();
    }

    /** A short state for the Pipeline's thread dump. */
    public synchronized String state() {
        return stopCause != null ? "aborting" : taskRun != null ? "running" : "preparing";
    }
}
