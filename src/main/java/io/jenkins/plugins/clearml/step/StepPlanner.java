package io.jenkins.plugins.clearml.step;

import io.jenkins.plugins.clearml.client.Credentials;
import io.jenkins.plugins.clearml.execution.ContainerOptions;
import io.jenkins.plugins.clearml.execution.ExecutionRequest;
import io.jenkins.plugins.clearml.jenkins.CredentialLookup;
import io.jenkins.plugins.clearml.jenkins.PluginSettings;
import io.jenkins.plugins.clearml.jenkins.ServerSettings;
import io.jenkins.plugins.clearml.jenkins.UserInputException;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Decides whether a {@code clearmlExecute} call can run and how: resolves the server and both credentials, checks
 * every argument, and builds the engine's request. Every refusal is one line naming the fix, raised before anything
 * starts on the node or the server.
 */
public final class StepPlanner {

    /** ClearML ids are 32 hex digits; other servers' ids still never need more than these characters. */
    private static final Pattern TASK_ID = Pattern.compile("[A-Za-z0-9_.-]{1,128}");

    private final PluginSettings settings;
    private final CredentialLookup serverCredentials;
    private final CredentialLookup gitCredentials;

    /**
     * @param serverCredentials finds the servers' credentials (system scope: they belong to the administrator)
     * @param gitCredentials    finds {@code gitCredentialsId} (the build's scope: what its job may use)
     */
    public StepPlanner(PluginSettings settings, CredentialLookup serverCredentials, CredentialLookup gitCredentials) {
        this.settings = settings;
        this.serverCredentials = serverCredentials;
        this.gitCredentials = gitCredentials;
    }

    /** The step needs a node: it runs the task there. */
    public static void requireNode(boolean insideNode) throws UserInputException {
        if (!insideNode) {
            throw new UserInputException("clearmlExecute runs the task on a node: call it inside node { ... } "
                    + "(or a declarative stage with an agent).");
        }
    }

    public StepPlan plan(StepRequest step) throws UserInputException {
        checkTaskId(step.taskId());
        List<String> gpus = GpuSelection.parse(step.gpus());
        ServerSettings server = settings.resolveServer(step.server());
        Credentials keys = serverKeys(server);

        String gitUser = null;
        String gitPassword = null;
        if (!step.gitCredentialsId().isEmpty()) {
            CredentialLookup.Found git = gitCredential(step.gitCredentialsId());
            gitUser = git.username();
            gitPassword = git.password();
        }
        ContainerOptions container = step.dockerMode()
                ? new ContainerOptions(step.image().isEmpty() ? null : step.image())
                : null;
        // The build follows the task: an abort in the ClearML UI ends the step; no queue is involved.
        ExecutionRequest request = new ExecutionRequest(step.taskId(), container, gpus, null, true, false);
        return new StepPlan(server, keys, gitUser, gitPassword, request);
    }

    /** The task id: present, and made of the characters ids have. */
    public static void checkTaskId(String taskId) throws UserInputException {
        if (taskId == null || taskId.isBlank()) {
            throw new UserInputException("clearmlExecute: the task id is empty: pass the id of the ClearML task, "
                    + "e.g. clearmlExecute(taskId: '<id from the task's INFO tab>').");
        }
        if (!TASK_ID.matcher(taskId).matches()) {
            throw new UserInputException("clearmlExecute: '" + taskId + "' is not a ClearML task id: copy the "
                    + "id from the task's INFO tab (32 hexadecimal digits).");
        }
    }

    private Credentials serverKeys(ServerSettings server) throws UserInputException {
        String where = "ClearML server '" + server.name() + "' uses credentials '" + server.credentialsId() + "'";
        if (server.credentialsId().isEmpty()) {
            throw new UserInputException("ClearML server '" + server.name() + "' has no credentials: choose a "
                    + "username-with-password credential (access key, secret key) in " + PluginSettings.CONFIG_PAGE + ".");
        }
        CredentialLookup.Result found = serverCredentials.find(server.credentialsId());
        if (found instanceof CredentialLookup.Missing) {
            throw new UserInputException(where + ", which do not exist: add a username-with-password credential "
                    + "with that id (access key as user name, secret key as password) in Manage Jenkins \u00bb "
                    + "Credentials, or choose another in " + PluginSettings.CONFIG_PAGE + ".");
        }
        if (found instanceof CredentialLookup.WrongKind wrong) {
            throw new UserInputException(where + ", which are a " + wrong.kind() + ": the server needs a "
                    + "username-with-password credential (access key as user name, secret key as password).");
        }
        CredentialLookup.Found keys = (CredentialLookup.Found) found;
        Credentials credentials = new Credentials(keys.username(), keys.password());
        if (!credentials.isComplete()) {
            throw new UserInputException(where + ", whose user name (access key) or password (secret key) is empty: "
                    + "fill both in Manage Jenkins \u00bb Credentials.");
        }
        return credentials;
    }

    private CredentialLookup.Found gitCredential(String id) throws UserInputException {
        CredentialLookup.Result found = gitCredentials.find(id);
        if (found instanceof CredentialLookup.Missing) {
            throw new UserInputException("gitCredentialsId: no credential '" + id + "' is available to this job: add a "
                    + "username-with-password credential with that id, or fix the id.");
        }
        if (found instanceof CredentialLookup.WrongKind wrong) {
            throw new UserInputException("gitCredentialsId: '" + id + "' is a " + wrong.kind() + ", not a "
                    + "username-with-password credential: for an HTTPS git remote use a user name with a password or token.");
        }
        return (CredentialLookup.Found) found;
    }
}
