package io.jenkins.plugins.clearml.execution;

import io.jenkins.plugins.clearml.metrics.GpuRunSummary;
import java.time.Duration;
import java.util.Optional;

/** A run in progress. */
public interface TaskRun {

    /**
     * Stops the run from outside (a Jenkins build abort, a daemon shutting down): kills the process tree and any
     * container, and marks the task stopped with {@code reason}. Returns at once; {@link #awaitResult()} tells the end.
     */
    void abort(String reason);

    ExecutionResult awaitResult() throws InterruptedException;

    /** The result if the run ends within {@code timeout}. */
    Optional<ExecutionResult> awaitResult(Duration timeout) throws InterruptedException;

    /** Per-GPU use over the run, once it has ended and if its node was watched; empty otherwise. */
    default Optional<GpuRunSummary> gpuSummary() {
        return Optional.empty();
    }
}
