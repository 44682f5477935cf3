package io.jenkins.plugins.clearml.step;

import hudson.AbortException;
import hudson.EnvVars;
import hudson.FilePath;
import hudson.Launcher;
import hudson.model.Result;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.clearml.client.ClearMLClient;
import io.jenkins.plugins.clearml.client.ClientSettings;
import io.jenkins.plugins.clearml.client.Credentials;
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
import java.time.Duration;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jenkinsci.plugins.workflow.steps.FlowInterruptedException;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;

/**
 * One {@code clearmlExecute} call in Jenkins. {@link #start()} checks everything on the Pipeline thread and fails at
 * once on bad input; the run itself is a {@link StepRunner} on a thread of its own, wired here to the build's
 * launcher, workspace, log, action and step context.
 */
final class ClearmlExecuteExecution extends StepExecution {

    private static final long serialVersionUID = 1L;
    private static final Logger LOGGER = Logger.getLogger(ClearmlExecuteExecution.class.getName());

    /** How long an aborted step waits for the engine's cleanup (kill, container removal) before it ends anyway. */
    static final Duration ABORT_GRACE = Duration.ofSeconds(30);

    // Plain fields only: the execution is saved with the Pipeline's program state.
    private final String taskId;
    private final String server;
    private final boolean docker;
    private final String image;
    private final String gpus;
    private final String gitCredentialsId;
    private volatile String resolvedServer;

    private transient volatile Run<?, ?> run;
    private transient volatile StepRunner runner;

    ClearmlExecuteExecution(StepContext context, StepRequest request) {
        super(context);
        this.taskId = request.taskId();
        this.server = request.server();
        this.docker = request.docker();
        this.image = request.image();
        this.gpus = request.gpus();
        this.gitCredentialsId = request.gitCredentialsId();
    }

    @Override
    public boolean start() throws Exception {
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
            plan = new StepPlanner(settings, JenkinsCredentials.system(), JenkinsCredentials.forRun(run))
                    .plan(new StepRequest(taskId, server, docker, image, gpus, gitCredentialsId));
        } catch (UserInputException e) {
            // One line in the log, no stack trace, and nothing started.
            throw new AbortException(e.getMessage());
        }
        resolvedServer = plan.server().name();
        PrintStream log = listener.getLogger();
        log.println("[ClearML] " + plan.describe());

        Map<String, String> env = environment == null ? Map.of() : environment;
        StepRunner.NodeOpener node = () -> {
            NodeAccess access = JenkinsNode.access(launcher, workspace, env);
            return new StepRunner.OpenedNode(access, ((JenkinsNodeFiles) access.files()).facts());
        };
        runner = new StepRunner(plan, settings, node, ClearMLClient::new, StepRunner.engine(), records(run),
                new BuildLogConsole(log), completion(), ABORT_GRACE);
        runner.startThread("clearmlExecute " + taskId + " (" + run.getExternalizableId() + ")");
        return false;
    }

    /** The build's action, added with the first task: a step refused before it ran leaves the build as it was. */
    private static StepRunner.Records records(Run<?, ?> run) {
        return new StepRunner.Records() {
            @Override
            public int add(TaskRecord record) {
                return ClearmlRunAction.of(run).add(record);
            }

            @Override
            public void update(int position, UnaryOperator<TaskRecord> change) {
                ClearmlRunAction.of(run).change(position, change);
            }
        };
    }

    private StepRunner.Completion completion() {
        StepContext context = getContext();
        return new StepRunner.Completion() {
            @Override
            public void succeeded(Map<String, Object> value) {
                context.onSuccess(value);
            }

            @Override
            public void failed(StepRunner.Failure failure) {
                context.onFailure(toThrowable(failure));
            }
        };
    }

    /** Jenkins' way of showing each kind of failure. */
    static Throwable toThrowable(StepRunner.Failure failure) {
        return switch (failure.kind()) {
            case INPUT, TASK_FAILED -> new AbortException(failure.message());
            case TASK_STOPPED -> new FlowInterruptedException(Result.ABORTED, true, new TaskStoppedCause(failure.message()));
            case ABORTED, ERROR -> failure.cause() != null ? failure.cause() : new AbortException(failure.message());
        };
    }

    @Override
    public void stop(Throwable cause) {
        StepRunner r = runner;
        if (r == null) {
            getContext().onFailure(cause);
            return;
        }
        Run<?, ?> build = run;
        r.stop(cause, "Aborted from Jenkins" + (build == null ? "" : ": build " + build.getFullDisplayName() + " was aborted"));
    }

    /**
     * After a controller restart nothing follows the task any more: its console and abort watch lived in this JVM.
     * Mark it stopped so that it does not look alive on the server, and fail the step with the reason.
     */
    @Override
    public void onResume() {
        String summary = "Jenkins restarted while ClearML task " + taskId + " was running; the build no longer follows it";
        Thread thread = new Thread(() -> {
            String outcome = " and it was marked stopped.";
            try {
                markStoppedAfterRestart();
            } catch (Exception e) {
                LOGGER.log(Level.WARNING, "Could not mark ClearML task " + taskId + " stopped after a restart", e);
                outcome = "; marking it stopped failed: " + e.getMessage();
            }
            getContext().onFailure(new AbortException(summary + outcome));
        }, "clearmlExecute resume " + taskId);
        thread.setDaemon(true);
        thread.start();
    }

    private void markStoppedAfterRestart() throws Exception {
        ServerSettings target = ClearmlGlobalConfiguration.get().toSettings()
                .resolveServer(resolvedServer != null ? resolvedServer : server);
        if (!(JenkinsCredentials.system().find(target.credentialsId()) instanceof CredentialLookup.Found keys)) {
            throw new UserInputException("the credentials of server '" + target.name() + "' are not available");
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
        StepRunner r = runner;
        String where = resolvedServer == null ? "" : " on server '" + resolvedServer + "'";
        return "ClearML task " + taskId + where + ": " + (r == null ? "not started" : r.state());
    }
}
