package io.jenkins.plugins.clearml.container;

import io.jenkins.plugins.clearml.execution.RunSiteException;
import io.jenkins.plugins.clearml.node.ProcessResult;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/** Pulls an image the node does not have (or always, when configured), with the pull's progress in the console. */
final class ImagePuller {

    private final DockerCli docker;
    private final Consumer<String> console;

    ImagePuller(DockerCli docker, Consumer<String> console) {
        this.docker = docker;
        this.console = console;
    }

    void ensure(String image, boolean always) throws RunSiteException, InterruptedException {
        try {
            if (!always && docker.run(Duration.ofMinutes(2), "image", "inspect", "--format", "{{.Id}}", image)
                    .succeeded()) {
                return;
            }
            console.accept("Pulling docker image " + image);
            ProcessResult pull = docker.stream(List.of("pull", image), null, console);
            if (!pull.succeeded()) {
                throw new RunSiteException("docker pull failed: " + image,
                        "Could not pull docker image " + image + " (exit code " + pull.exitCode() + "): "
                                + pull.tail(3) + ". Check the image name and tag, and that this node can reach the "
                                + "registry (run docker login on the node for a private registry).");
            }
        } catch (IOException e) {
            throw ContainerRunSiteFactory.dockerUnavailable(e);
        }
    }
}
