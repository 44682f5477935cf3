package io.jenkins.plugins.clearml.execution;

import io.jenkins.plugins.clearml.client.ClearMLException;

/** Turns a refused or failed server call into one message that names the cause and the fix. */
final class ServerFailures {

    private ServerFailures() {
    }

    static StepFailure describe(ClearMLException e, String apiUrl, String taskId, String doing) {
        if (e.isAuthenticationFailure()) {
            return StepFailure.beforeTask("authentication failed",
                    "The ClearML server at " + apiUrl + " refused the credentials while " + doing + " ("
                            + e.getMessage() + "). Check CLEARML_API_ACCESS_KEY and CLEARML_API_SECRET_KEY "
                            + "(api.credentials in clearml.conf); create new credentials in the ClearML web UI under "
                            + "Settings > Workspace.", e);
        }
        if (e.isTaskNotFound()) {
            return StepFailure.beforeTask("task not found",
                    "Task " + taskId + " was not found on the ClearML server at " + apiUrl + ". Check the task id "
                            + "(copy it from the task's page in the web UI: ID button next to its name) and that the "
                            + "credentials belong to the workspace that holds it.", e);
        }
        if (e.resultCode() == 0 || e.isTransient()) {
            return StepFailure.beforeTask("server unreachable",
                    "Could not talk to the ClearML API server at " + apiUrl + " while " + doing + " ("
                            + e.getMessage() + "). Check that CLEARML_API_HOST (api.api_server in clearml.conf) is the "
                            + "API server's address (usually port 8008, not the web UI's 8080) and that the server is up.",
                    e);
        }
        return new StepFailure("server refused " + e.endpoint(),
                "The ClearML server at " + apiUrl + " refused " + e.endpoint() + " while " + doing + ": "
                        + e.getMessage() + ". Check the task's state in the web UI; reset or clone it and run it again.",
                e);
    }
}
