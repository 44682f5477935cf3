package io.jenkins.plugins.clearml.step;

import io.jenkins.plugins.clearml.jenkins.Strings;

/**
 * The arguments of one {@code clearmlExecute} call, as the Pipeline passed them.
 *
 * @param taskId           the ClearML task to reproduce and run
 * @param server           the configured server's name; blank for the default server
 * @param docker           run in a container (docker mode) instead of a venv on the node
 * @param image            the container image; implies docker mode; blank for the task's image or the default
 * @param gpus             comma-separated GPU indices given to the task, e.g. {@code 0,1}; blank for none
 * @param gitCredentialsId a Jenkins username-with-password credential for the task's HTTPS git remote; blank for none
 */
public record StepRequest(String taskId, String server, boolean docker, String image, String gpus, String gitCredentialsId) {

    public StepRequest {
        taskId = Strings.trim(taskId);
        server = Strings.trim(server);
        image = Strings.trim(image);
        gpus = Strings.trim(gpus);
        gitCredentialsId = Strings.trim(gitCredentialsId);
    }

    /** Docker mode: asked for, or implied by naming an image (as clearml-agent's {@code --docker IMAGE} does). */
    public boolean dockerMode() {
        return docker || !image.isEmpty();
    }
}
