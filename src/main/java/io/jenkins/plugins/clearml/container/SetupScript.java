package io.jenkins.plugins.clearml.container;

import io.jenkins.plugins.clearml.execution.RunSiteException;
import io.jenkins.plugins.clearml.node.ProcessResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;

/**
 * Runs the task's {@code container.setup_shell_script} inside the container before the environment is built, as the
 * real agent does. The script is copied into the container as a file (through {@code docker exec -i}'s standard
 * input) and run with bash, or sh where the image has no bash; it never becomes part of a host command line. A
 * non-zero exit fails the run.
 */
final class SetupScript {

    static final String PATH_IN_CONTAINER = "/tmp/clearml-setup-shell-script.sh";
    private static final String WRITE = "cat >\"$0\" && chmod 700 \"$0\"";
    private static final String RUN = "if command -v bash >/dev/null 2>&1; then exec bash \"$0\"; else exec sh \"$0\"; fi";

    private final DockerCli docker;
    private final String container;
    private final String workingDir;
    private final Consumer<String> console;

    SetupScript(DockerCli docker, String container, String workingDir, Consumer<String> console) {
        this.docker = docker;
        this.container = container;
        this.workingDir = workingDir;
        this.console = console;
    }

    void run(String script) throws RunSiteException, InterruptedException {
        if (script == null || script.isBlank()) {
            return;
        }
        String text = script.replace("\r\n", "\n");
        if (!text.endsWith("\n")) {
            text += "\n";
        }
        try {
            ProcessResult copy = docker.stream(List.of("exec", "-i", container, "sh", "-c", WRITE, PATH_IN_CONTAINER),
                    text.getBytes(StandardCharsets.UTF_8), console);
            if (!copy.succeeded()) {
                throw new RunSiteException("docker setup script failed",
                        "Could not copy the task's setup shell script into the container: " + copy.tail(3));
            }
            console.accept("Running the task's container setup script");
            ProcessResult result = docker.stream(
                    List.of("exec", "-w", workingDir, container, "sh", "-c", RUN, PATH_IN_CONTAINER), null, console);
            if (!result.succeeded()) {
                throw new RunSiteException("docker setup script failed (exit code " + result.exitCode() + ")",
                        "The task's container setup script exited with code " + result.exitCode()
                                + "; its output is above. Fix the script in the task's container section.");
            }
        } catch (IOException e) {
            throw ContainerRunSiteFactory.dockerUnavailable(e);
        }
    }
}
