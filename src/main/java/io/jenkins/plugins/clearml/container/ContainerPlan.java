package io.jenkins.plugins.clearml.container;

import io.jenkins.plugins.clearml.node.ShellWords;
import io.jenkins.plugins.clearml.client.Task;
import io.jenkins.plugins.clearml.client.TaskContainer;
import io.jenkins.plugins.clearml.execution.ContainerOptions;
import io.jenkins.plugins.clearml.execution.RunSiteException;
import java.util.ArrayList;
import java.util.List;

/**
 * Which image a task runs in and with which arguments, before the argument policy.
 *
 * <p>The image comes from the request ({@code --docker IMAGE}), else the task's {@code container.image}, else the
 * configured default image. The task's {@code container.arguments} and {@code setup_shell_script} always apply (they
 * describe what the task needs, whatever the image); the default arguments apply only with the default image. The
 * administrator's extra arguments are always added, first.
 *
 * @param image            the image to run
 * @param source           where the image came from, for the console
 * @param trustedArguments the administrator's arguments (extra, plus default ones with the default image)
 * @param taskArguments    the task's arguments, still to be checked by {@link DockerArgumentPolicy}
 * @param setupScript      the task's setup shell script, or empty
 */
public record ContainerPlan(String image, String source, List<DockerArgument> trustedArguments,
        List<DockerArgument> taskArguments, String setupScript) {

    public ContainerPlan {
        trustedArguments = List.copyOf(trustedArguments);
        taskArguments = List.copyOf(taskArguments);
        setupScript = setupScript == null ? "" : setupScript;
    }

    public static ContainerPlan of(Task task, ContainerOptions options, DockerSettings settings)
            throws RunSiteException {
        TaskContainer container = task.container() == null ? TaskContainer.NONE : task.container();
        List<String> trusted = new ArrayList<>(settings.extraArguments());
        String image;
        String source;
        if (options != null && options.image() != null && !options.image().isBlank()) {
            image = options.image().trim();
            source = "requested on the command line";
        } else if (container.hasImage()) {
            image = container.image().trim();
            source = "the task's container section";
        } else if (settings.defaultImage() != null && !settings.defaultImage().isBlank()) {
            image = settings.defaultImage().trim();
            source = "the agent's default image";
            trusted.addAll(settings.defaultArguments());
        } else {
            throw new RunSiteException("no docker image",
                    "Task " + task.id() + " names no container image and no default image is configured. "
                            + "Pass --docker IMAGE, set the image in the task's container section, "
                            + "or set agent.default_docker.image.");
        }
        List<String> taskWords;
        try {
            taskWords = ShellWords.split(container.arguments());
        } catch (IllegalArgumentException e) {
            throw new RunSiteException("invalid docker arguments",
                    "The task's container arguments cannot be read (" + e.getMessage()
                            + "). Fix the quoting in the task's container section.");
        }
        return new ContainerPlan(image, source, DockerArgument.parse(trusted), DockerArgument.parse(taskWords),
                container.setupShellScript());
    }
}
