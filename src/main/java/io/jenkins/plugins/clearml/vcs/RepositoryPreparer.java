package io.jenkins.plugins.clearml.vcs;

import io.jenkins.plugins.clearml.client.TaskScript;
import io.jenkins.plugins.clearml.node.NodeAccess;
import java.util.function.Consumer;

/**
 * Brings a task's code into a workspace as the real agent does: clone through the local repository cache, check
 * out the recorded commit/tag/branch with submodules, apply the recorded uncommitted diff (or write a literal
 * script). Credentials reach git through an askpass helper, never a URL, log line or command line.
 */
public final class RepositoryPreparer {

    private final NodeAccess node;
    private final GitSettings settings;
    private final Consumer<String> console;

    public RepositoryPreparer(NodeAccess node, GitSettings settings, Consumer<String> console) {
        this.node = node;
        this.settings = settings;
        this.console = console;
    }

    /** Prepares the code under {@code workspaceDir} (which is emptied first). */
    public PreparedCode prepare(TaskScript script, String workspaceDir) throws VcsException, InterruptedException {
        throw new UnsupportedOperationException("not implemented yet");
    }
}
