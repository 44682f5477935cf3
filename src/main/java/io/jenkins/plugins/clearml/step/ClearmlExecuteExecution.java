package io.jenkins.plugins.clearml.step;

import hudson.AbortException;
import hudson.EnvVars;
import hudson.FilePath;
import hudson.Launcher;
import hudson.model.Result;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.clearml.client.ClearMLClient;
import io.jenkins.plugins.clearml.client.ClearMLException;
import io.jenkins.plugins.clearml.client.ClientSettings;
import io.jenkins.plugins.clearml.client.Credentials;
import io.jenkins.plugins.clearml.client.Task;
import io.jenkins.plugins.clearml.client.TaskStatus;
import io.jenkins.plugins.clearml.config.AgentConfig;
import io.jenkins.plugins.clearml.execution.Console;
import io.jenkins.plugins.clearml.execution.ExecutionResult;
import io.jenkins.plugins.clearml.execution.TaskExecutor;
import io.jenkins.plugins.clearml.execution.TaskRun;
import io.jenkins.plugins.clearml.jenkins.AgentConfigFactory;
import io.jenkins.plugins.clearml.jenkins.ClearmlGlobalConfiguration;
import io.jenkins.plugins.clearml.jenkins.ClearmlRunAction;
import io.jenkins.plugins.clearml.jenkins.CredentialLookup;
import io.jenkins.plugins.clearml.jenkins.JenkinsCredentials;
import io.jenkins.plugins.clearml.jenkins.JenkinsNode;
import io.jenkins.plugins.clearml.jenkins.JenkinsNodeFiles;
import io.jenkins.plugins.clearml.jenkins.PluginSettings;
import io.jenkins.plugins.clearml.jenkins.ServerSettings;
import io.jenkins.plugins.clearml.jenkins.TaskRecord;
import io.jenkins.plugins.clearml.jenkins.UserInputException;
import io.jenkins.plugins.clearml.node.NodeAccess;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jenkinsci.plugins.workflow.steps.FlowInterruptedException;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;

/**
 * One {@code clearmlExecute} call. {@link #start()} checks everything on the Pipeline thread and fails at once on
 * bad input; the run itself happens on a thread of its own, which ends the step with the task's outcome.
 * {@link #stop} (the build was aborted) stops the task through the engine, which marks it stopped and removes its
 * process tree and container; the step ends when that cleanup is done, or after {@link #ABORT_GRACE_SECONDS}.
 */
final class ClearmlExecuteExecution extends StepExecution {

    private static final long serialVersionUID = 1L;
    private static final Logger LOGGER = Logger.getLogger(ClearmlExecuteExecution.class.getName());

    /** How long an aborted step waits for the engine's cleanup before it ends regardless. */
    static final long ABORT_GRACE_SECONDS = 30;

    // Plain fields: the execution is saved with the Pipeline's program state.
    private final String taskId;
    private final String server;
    private final boolean docker;
    private final String image;
    private final String gpus;
    private final String gitCredentialsId;
    private volatile String resolvedServer;

    private transient volatile Run<?, ?> run;
    private transient volatile Thread worker;
    private transient volatile TaskRun taskRun;
    private transient volatile Throwable stopCause;
    private transient AtomicBoolean done;

    ClearmlExecuteExecution(StepContext context, StepRequest request) {
        super(context);
        this.taskId = request.taskId();
        this.server = request.server();
        this.docker = request.docker();
        this.image = request.image();
        this.gpus = request.gpus();
        this.gitCredentialsId = request.gitCredentialsId();
    }

    private StepRequest request() {
        return new StepRequest(taskId, server, docker, image, gpus, gitCredentialsId);
    }

    @Override
    public boolean start() throws Exception {
        done = new AtomicBoolean();
        StepContext context = getContext();
        run = context.get(Run.class);
        TaskListener listener = context.get(TaskListener.class);
        Launcher launcher = context.get(Launcher.class);
        FilePath workspace = context.get(FilePath.class);
        EnvVars environment = context.get(EnvVars.class);

        PluginSettings settings = ClearmlGlobalConfiguration.get().toSettings();
        StepPlan plan;
        try {
            StepPlanner.requireNode(launcher != null && workspace != null);
            plan = new StepPlanner(settings, JenkinsCredentials.system(), JenkinsCredentials.forRun(run)).plan(request());
        } catch (UserInputException e) {
            // One line in the log, no stack trace, and nothing started.
            throw new AbortException(e.getMessage());
        }
        resolvedServer = plan.server().name();
        PrintStream log = listener.getLogger();
        log.println("[ClearML] " + plan.describe());

        Thread thread = new Thread(() -> runTask(plan, settings, launcher, workspace,
                environment == null ? new EnvVars() : environment, log), "clearmlExecute " + taskId);
        thread.setDaemon(true);
        worker = thread;
        thread.start();
        return false;
    }

    private void runTask(StepPlan plan, PluginSettings settings, Launcher launcher, FilePath workspace, EnvVars environment,
            PrintStream log) {
        ClearmlRunAction action = null;
        int position = -1;
        String taskName = null;
        try {
            NodeAccess node = JenkinsNode.access(launcher, workspace, environment);
            ClientSettings clientSettings = ClientSettings.of(plan.server().endpoint(), plan.keys(), node.hostName());
            try (ClearMLClient client = new ClearMLClient(clientSettings)) {
                Task task = preflight(client, plan.server());
                taskName = task.name();
                String url = plan.server().endpoint().taskLogUrl(task.project(), taskId);
                action = ClearmlRunAction.of(run);
                position = action.add(TaskRecord.started(taskId, taskName, plan.server().name(), url,
                        System.currentTimeMillis()));
                log.println("[ClearML] Task '" + taskName + "': " + url);

                AgentConfig config = AgentConfigFactory.create(plan.server(), plan.keys(), plan.gitUser(),
                        plan.gitPassword(), settings, ((JenkinsNodeFiles) node.files()).facts());
                Console console = new MaskingConsole(log::println,
                        Arrays.asList(plan.keys().secretKey(), plan.gitPassword()));
                synchronized (this) {
                    if (stopCause != null) {
                        throw new InterruptedException("aborted before the task started");
                    }
                    taskRun = new TaskExecutor(client, config, node).start(plan.request(), console);
                }
                ExecutionResult result = taskRun.awaitResult();
                action.update(position, action.get(position).ended(result.status(), result.reason(), result.taskUrl(),
                        System.currentTimeMillis()));
                String summary = StepResult.summary(result, taskName);
                log.println("[ClearML] " + summary);
                finish(result, summary);
            }
        } catch (UserInputException e) {
            complete(new AbortException(e.getMessage()));
        } catch (InterruptedException e) {
            complete(stopCause != null ? stopCause : e);
        } catch (Throwable t) {
            LOGGER.log(Level.FINE, "clearmlExecute " + taskId + " failed", t);
            complete(stopCause != null ? stopCause : t);
        } finally {
            if (action != null && position >= 0 && action.get(position).isRunning()) {
                // Ended without a result (aborted before the engine answered, or an error): do not show it running.
                action.update(position, action.get(position).ended(TaskStatus.UNKNOWN,
                        "the build stopped following the task", null, System.currentTimeMillis()));
            }
        }
    }

    /** Logs in and reads the task: wrong keys or a wrong id fail here, before anything runs on the node. */
    private Task preflight(ClearMLClient client, ServerSettings target) throws UserInputException, ClearMLException {
        try {
            client.login();
        } catch (ClearMLException e) {
            if (e.isAuthenticationFailure()) {
                throw new UserInputException("ClearML server '" + target.name() + "' refused the access key of credentials '"
                        + target.credentialsId() + "': update them in Manage Jenkins \u00bb Credentials.");
            }
            throw e;
        }
        try {
            return client.getTask(taskId);
        } catch (ClearMLException e) {
            if (e.isTaskNotFound()) {
                throw new UserInputException("ClearML server '" + target.name() + "' has no task " + taskId
                        + ": check the id (the task's INFO tab) and the server.");
            }
            throw e;
        }
    }

    private void finish(ExecutionResult result, String summary) {
        if (stopCause != null) {
            complete(stopCause);
            return;
        }
        switch (BuildOutcome.of(result.status())) {
            case SUCCESS -> {
                if (done.compareAndSet(false, true)) {
                    getContext().onSuccess(StepResult.toMap(result));
                }
            }
            case ABORTED -> complete(new FlowInterruptedException(Result.ABORTED, true, new TaskStoppedCause(summary)));
            default -> complete(new AbortException(summary));
        }
    }

    /** Ends the step once, whichever of the worker, an abort or the abort's backstop gets here first. */
    private void complete(Throwable failure) {
        if (done.compareAndSet(false, true)) {
            getContext().onFailure(failure);
        }
    }

    @Override
    public void stop(Throwable cause) {
        boolean first;
        synchronized (this) {
            first = stopCause == null;
            if (first) {
                stopCause = cause;
            }
        }
        if (done == null) {
            done = new AtomicBoolean();
        }
        if (!first) {
            // Aborted again: stop waiting for the cleanup.
            complete(cause);
            return;
        }
        TaskRun running = taskRun;
        Thread thread = worker;
        if (running != null) {
            running.abort(abortReason());
        } else if (thread != null) {
            thread.interrupt();
        } else {
            complete(cause);
            return;
        }
        CompletableFuture.delayedExecutor(ABORT_GRACE_SECONDS, TimeUnit.SECONDS).execute(() -> complete(cause));
    }

    private String abortReason() {
        Run<?, ?> r = run;
        return "Aborted from Jenkins" + (r == null ? "" : ": build " + r.getFullDisplayName() + " was aborted");
    }

    /**
     * After a controller restart nothing follows the task any more: its console and abort watch lived in this JVM.
     * Mark it stopped so that it does not look alive on the server, and fail the step with the reason.
     */
    @Override
    public void onResume() {
        done = new AtomicBoolean();
        String summary = "Jenkins restarted while ClearML task " + taskId + " was running; the build no longer follows it";
        Thread thread = new Thread(() -> {
            try {
                markStoppedAfterRestart();
            } catch (Exception e) {
                LOGGER.log(Level.WARNING, "Could not mark ClearML task " + taskId + " stopped after a restart", e);
            }
            complete(new AbortException(summary + " and it was marked stopped."));
        }, "clearmlExecute resume " + taskId);
        thread.setDaemon(true);
        thread.start();
    }

    private void markStoppedAfterRestart() throws Exception {
        ServerSettings target = ClearmlGlobalConfiguration.get().toSettings()
                .resolveServer(resolvedServer != null ? resolvedServer : server);
        if (!(JenkinsCredentials.system().find(target.credentialsId()) instanceof CredentialLookup.Found keys)) {
            return;
        }
        Credentials credentials = new Credentials(keys.username(), keys.password());
        try (ClearMLClient client = new ClearMLClient(ClientSettings.of(target.endpoint(), credentials, "jenkins"))) {
            client.login();
            client.stopped(taskId, "Aborted from Jenkins: the controller restarted during the build",
                    "stopped by Jenkins", true);
        }
    }

    @Override
    public String getStatus() {
        String where = resolvedServer == null ? "" : " on server '" + resolvedServer + "'";
        String state = stopCause != null ? "aborting" : taskRun != null ? "running" : "preparing";
        return "ClearML task " + taskId + where + ": " + state;
    }
}
