package io.jenkins.plugins.clearml.python;

import io.jenkins.plugins.clearml.client.TaskScript;
import io.jenkins.plugins.clearml.node.NodeFiles;
import io.jenkins.plugins.clearml.node.NodeProcesses;
import io.jenkins.plugins.clearml.vcs.PreparedCode;
import java.util.function.Consumer;

/**
 * Builds the task's venv as the real agent does: pick the interpreter, reuse a cached venv keyed by interpreter and
 * requirements, else create one and {@code pip install} the recorded requirements (or the repository's
 * requirements.txt), then freeze.
 *
 * <p>{@code processes} is the run site's: in docker mode they run inside the container. {@code files} is the
 * node's: the venv and cache folders are mounted at the same paths in a container.
 */
public final class PythonEnvironmentBuilder {

    private final NodeProcesses processes;
    private final NodeFiles files;
    private final PythonSettings settings;
    private final Consumer<String> console;

    public PythonEnvironmentBuilder(NodeProcesses processes, NodeFiles files, PythonSettings settings,
            Consumer<String> console) {
        this.processes = processes;
        this.files = files;
        this.settings = settings;
        this.console = console;
    }

    /**
     * @param cacheContext what else the venv depends on, in the cache key (in docker mode: the image name)
     */
    public PythonEnvironment build(TaskScript script, PreparedCode code, String cacheContext)
            throws EnvironmentException, InterruptedException {
        throw new UnsupportedOperationException("not implemented yet");
    }
}
