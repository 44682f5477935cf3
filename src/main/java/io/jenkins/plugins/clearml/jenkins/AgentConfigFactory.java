package io.jenkins.plugins.clearml.jenkins;

import io.jenkins.plugins.clearml.client.Credentials;
import io.jenkins.plugins.clearml.config.AgentConfig;
import io.jenkins.plugins.clearml.container.DockerSettings;
import io.jenkins.plugins.clearml.python.PythonSettings;
import io.jenkins.plugins.clearml.vcs.GitSettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The engine's configuration for a run started from Jenkins: the server and keys from the global configuration, git
 * credentials from the step, and clearml-agent's defaults for everything a Jenkins node has no clearml.conf for
 * (caches under {@code ~/.clearml} of the agent user, so repeated runs on a node reuse clones and venvs).
 */
public final class AgentConfigFactory {

    /** clearml-agent 1.9's {@code agent.default_docker.image}, used when neither Jenkins nor the task names one. */
    public static final String AGENT_DEFAULT_IMAGE = "nvidia/cuda:11.0.3-cudnn8-runtime-ubuntu20.04";

    private AgentConfigFactory() {
    }

    /**
     * @param gitUser     user for HTTPS git remotes, or {@code null}
     * @param gitPassword password or token for HTTPS git remotes, or {@code null}
     */
    public static AgentConfig create(ServerSettings server, Credentials keys, String gitUser, String gitPassword,
            PluginSettings plugin, NodeFacts node) {
        String clearmlDir = join(node.home(), ".clearml");
        GitSettings git = new GitSettings(gitUser, gitPassword, null, join(clearmlDir, "vcs-cache"), true, false);
        PythonSettings python = new PythonSettings("", join(clearmlDir, "venvs-builds"), join(clearmlDir, "venvs-cache"),
                10, List.of(), List.of(), false);
        String image = plugin.defaultDockerImage().isEmpty() ? AGENT_DEFAULT_IMAGE : plugin.defaultDockerImage();
        DockerSettings docker = new DockerSettings("docker", image, List.of(), List.of(),
                plugin.allowedDockerArguments(), List.of(), join(clearmlDir, "pip-cache"), false);
        return new AgentConfig(server.endpoint(), keys, node.hostName(), "", git, python, docker, Map.of(),
                Duration.ofSeconds(60), Duration.ofSeconds(5), Duration.ofSeconds(2), Duration.ofSeconds(30), null);
    }

    private static String join(String base, String name) {
        return base.endsWith("/") ? base + name : base + "/" + name;
    }
}
