package io.jenkins.plugins.clearml.client;

import java.util.Map;

/**
 * A task as {@code tasks.get_by_id} returns it, reduced to the fields the agent reads.
 *
 * @param hyperparams section → name → value (the {@code Args} section holds the script arguments)
 * @param runtime     the free-form runtime object (abort-callback settings, agent host name)
 */
public record Task(
        String id,
        String name,
        String project,
        TaskStatus status,
        String statusReason,
        String statusMessage,
        TaskScript script,
        TaskContainer container,
        Map<String, Map<String, String>> hyperparams,
        Map<String, Object> runtime,
        String executionQueue,
        String lastWorker) {

    public Task {
        hyperparams = hyperparams == null ? Map.of() : Map.copyOf(hyperparams);
        runtime = runtime == null ? Map.of() : Map.copyOf(runtime);
        container = container == null ? TaskContainer.NONE : container;
    }
}
