package io.jenkins.plugins.clearml.execution;

import io.jenkins.plugins.clearml.client.Task;
import io.jenkins.plugins.clearml.node.NodeAccess;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What a {@link RunSiteFactory} needs to open a site for one run.
 *
 * @param workspaceDir      the run's workspace on the node (code already prepared in it)
 * @param mountDirs         node folders the site must see at the same path (workspace, venv and pip caches)
 * @param secretEnvironment variables with secrets (API and git credentials) the task process needs; a container
 *                          site passes them through an owner-only env file, never on a command line
 * @param environment       the other variables of the task process (CLEARML_TASK_ID...)
 */
public record SiteContext(
        NodeAccess node,
        Task task,
        ExecutionRequest request,
        String workspaceDir,
        List<String> mountDirs,
        Map<String, String> secretEnvironment,
        Map<String, String> environment,
        Consumer<String> console) {

    public SiteContext {
        mountDirs = List.copyOf(mountDirs);
        secretEnvironment = Map.copyOf(secretEnvironment);
        environment = Map.copyOf(environment);
    }
}
