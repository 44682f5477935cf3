package io.jenkins.plugins.clearml.execution;

import io.jenkins.plugins.clearml.node.NodeProcesses;
import java.util.List;
import java.util.Map;

/**
 * Where a task's Python environment is built and its entry point runs: on the node itself (venv mode) or inside a
 * container on it (docker mode). The code is prepared on the node before the site opens; a container site mounts
 * the workspace and caches at the same paths, so paths mean the same on both sides.
 */
public interface RunSite extends AutoCloseable {

    /** Processes started here run at this site (for a container: through {@code docker exec}). */
    NodeProcesses processes();

    /** Variables this site adds to the task's environment (e.g. {@code CLEARML_DOCKER_IMAGE}). */
    Map<String, String> environment();

    /**
     * The values of {@code names} as the processes started here see them: the node's environment, or in a
     * container the image's variables and those it was started with (the administrator's and the task's
     * {@code -e}); unset ones are absent. For settings the agent reads where the task runs, such as
     * {@code CLEARML_AGENT_SKIP_PIP_VENV_INSTALL}.
     */
    Map<String, String> variables(List<String> names) throws InterruptedException;

    /** For the console: {@code "venv on node7"}, {@code "container 3f2a… (image)"}. */
    String describe();

    /** Releases the site: a container is killed and removed. Safe to call twice. */
    @Override
    void close();
}
