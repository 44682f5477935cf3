package io.jenkins.plugins.clearml.dispatch;

/**
 * Given to a {@link TaskRunner} with each task: the runner calls {@link #begin} once, when the run is about to
 * start on a node, and runs the task only if it returns.
 */
@FunctionalInterface
public interface RunStart {

    /**
     * Takes the node's GPUs (for runs the Jenkins queue placed), re-checks that the task still waits to run when
     * it waited a while, claims it ({@code tasks.started} "pulled by agent", forced, as the real agent does) and
     * registers its worker.
     *
     * @param node the node the run starts on
     * @throws RunNotStartedException when it must not run; the runner then ends with the exception's outcome
     */
    ClaimedRun begin(String node) throws RunNotStartedException;
}
