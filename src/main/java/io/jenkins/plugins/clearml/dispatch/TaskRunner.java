package io.jenkins.plugins.clearml.dispatch;

/**
 * Runs a placed task: the seam between the dispatcher's decisions and the work. {@link EngineTaskRunner} runs
 * it with the execution engine on a node; the cloud hands it to the Jenkins queue; tests and the benchmark use a
 * simulated runner.
 */
@FunctionalInterface
public interface TaskRunner {

    /**
     * Starts running the task and returns at once. The runner calls {@code start.begin(node)} when the run is
     * about to start, runs the task as the returned worker with its GPUs, and completes the handle's outcome.
     */
    RunHandle start(PlacedTask task, RunStart start);
}
