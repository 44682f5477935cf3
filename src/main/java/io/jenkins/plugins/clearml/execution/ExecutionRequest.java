package io.jenkins.plugins.clearml.execution;

import java.util.List;
import java.util.Objects;

/**
 * What to execute: a task id and how.
 *
 * @param taskId        the ClearML task
 * @param container     run in a container (docker mode) with these options, or {@code null} for venv mode
 * @param gpus          the GPU indices given to this run ({@code ["0","1"]}); empty for none
 * @param workerId      the worker id this run reports as; {@code null} for the real agent's default
 *                      ({@code <host>:<pid>} for a plain execute)
 * @param watchForAbort poll the task's status and kill the run when it is aborted in the ClearML UI
 * @param requireQueued refuse to run a task that is not queued (the dispatcher's re-check at start)
 */
public record ExecutionRequest(
        String taskId,
        ContainerOptions container,
        List<String> gpus,
        String workerId,
        boolean watchForAbort,
        boolean requireQueued) {

    public ExecutionRequest {
        Objects.requireNonNull(taskId, "taskId");
        gpus = gpus == null ? List.of() : List.copyOf(gpus);
    }

    public static ExecutionRequest venv(String taskId) {
        return new ExecutionRequest(taskId, null, List.of(), null, true, false);
    }

    public boolean dockerMode() {
        return container != null;
    }
}
