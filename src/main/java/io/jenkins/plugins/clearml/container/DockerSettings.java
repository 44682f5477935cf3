package io.jenkins.plugins.clearml.container;

import java.util.List;

/**
 * Docker-mode settings as the real agent reads them ({@code agent.default_docker.*},
 * {@code agent.extra_docker_arguments}, {@code agent.docker_args_filters}, {@code agent.hide_docker_command_env_vars},
 * {@code agent.docker_pip_cache}...).
 *
 * @param dockerCommand       the docker executable ({@code docker})
 * @param defaultImage        image used when neither the request nor the task names one
 * @param defaultArguments    arguments used with the default image
 * @param extraArguments      the administrator's arguments, added to every container, never written to the task
 * @param allowedTaskArguments regexes of task-supplied docker flags that are allowed beyond the safe default set
 * @param hiddenEnvNames      extra {@code -e NAME=} names whose values are masked in printed command lines
 * @param pipCacheDir         host pip cache mounted into the container
 * @param forcePull           pull the image even if present
 * @param orphanWatch         how soon a container whose agent died stops by itself (ours, not the real agent's)
 */
public record DockerSettings(
        String dockerCommand,
        String defaultImage,
        List<String> defaultArguments,
        List<String> extraArguments,
        List<String> allowedTaskArguments,
        List<String> hiddenEnvNames,
        String pipCacheDir,
        boolean forcePull,
        OrphanWatch orphanWatch) {

    public DockerSettings {
        orphanWatch = orphanWatch == null ? OrphanWatch.DEFAULT : orphanWatch;
        defaultArguments = defaultArguments == null ? List.of() : List.copyOf(defaultArguments);
        extraArguments = extraArguments == null ? List.of() : List.copyOf(extraArguments);
        allowedTaskArguments = allowedTaskArguments == null ? List.of() : List.copyOf(allowedTaskArguments);
        hiddenEnvNames = hiddenEnvNames == null ? List.of() : List.copyOf(hiddenEnvNames);
    }

    /** With the default {@link OrphanWatch}. */
    public DockerSettings(String dockerCommand, String defaultImage, List<String> defaultArguments,
            List<String> extraArguments, List<String> allowedTaskArguments, List<String> hiddenEnvNames,
            String pipCacheDir, boolean forcePull) {
        this(dockerCommand, defaultImage, defaultArguments, extraArguments, allowedTaskArguments, hiddenEnvNames,
                pipCacheDir, forcePull, OrphanWatch.DEFAULT);
    }
}
