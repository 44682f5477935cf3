package io.jenkins.plugins.clearml.dispatch;

/** Thrown by {@link RunStart#begin} when the task must not run here; {@link #outcome()} says what becomes of it. */
public final class RunNotStartedException extends Exception {

    private final RunOutcome outcome;
    private final boolean mayTryAnotherNode;

    public RunNotStartedException(RunOutcome outcome) {
        this(outcome, false);
    }

    private RunNotStartedException(RunOutcome outcome, boolean mayTryAnotherNode) {
        super(outcome.reason());
        this.outcome = outcome;
        this.mayTryAnotherNode = mayTryAnotherNode;
    }

    /**
     * The node has no room for the run now (the Jenkins queue can hand several items to one node's free executors
     * before the first of them takes its GPUs). Nothing was claimed: a runner that can place the run elsewhere may
     * call {@link RunStart#begin} again on another node; one that cannot ends with {@link #outcome()}.
     */
    static RunNotStartedException noRoom(String node) {
        return new RunNotStartedException(RunOutcome.notStarted("node " + node + " has no free executor or GPU for it"),
                true);
    }

    public RunOutcome outcome() {
        return outcome;
    }

    /** See {@link #noRoom}. */
    public boolean mayTryAnotherNode() {
        return mayTryAnotherNode;
    }
}
