package io.jenkins.plugins.clearml.step;

import io.jenkins.plugins.clearml.client.Credentials;
import io.jenkins.plugins.clearml.execution.ExecutionRequest;
import io.jenkins.plugins.clearml.jenkins.ServerSettings;

/**
 * A checked {@code clearmlExecute} call: everything needed to run it, resolved before anything runs.
 *
 * @param server      the server to run against
 * @param keys        its access key and secret key
 * @param gitUser     the git user from {@code gitCredentialsId}, or {@code null}
 * @param gitPassword the git password or token from {@code gitCredentialsId}, or {@code null}
 * @param request     what the engine executes
 */
public record StepPlan(ServerSettings server, Credentials keys, String gitUser, String gitPassword, ExecutionRequest request) {

    /** One line for the build log: what is about to run, where. */
    public String describe() {
        StringBuilder sb = new StringBuilder("Running ClearML task ").append(request.taskId())
                .append(" from server '").append(server.name()).append("' (").append(server.endpoint().apiUrl())
                .append(") on this node");
        if (request.dockerMode()) {
            String image = request.container().image();
            sb.append(", in a container (image: ").append(image == null ? "the task's, else the default" : image).append(')');
        } else {
            sb.append(", in a virtual environment");
        }
        if (!request.gpus().isEmpty()) {
            sb.append(", GPUs ").append(String.join(",", request.gpus()));
        }
        if (gitUser != null) {
            sb.append(", git as ").append(gitUser);
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return "StepPlan[server=" + server + ", keys=" + keys + ", gitUser=" + gitUser + ", gitPassword="
                + (gitPassword == null ? "null" : "****") + ", request=" + request + "]";
    }
}
