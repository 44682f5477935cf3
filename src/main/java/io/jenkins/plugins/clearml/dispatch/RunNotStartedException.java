package io.jenkins.plugins.clearml.dispatch;

/** Thrown by {@link RunStart#begin} when the task must not run here; {@link #outcome()} says what becomes of it. */
public final class RunNotStartedException extends Exception {

    private final RunOutcome outcome;

    public RunNotStartedException(RunOutcome outcome) {
        super(outcome.reason());
        this.outcome = outcome;
    }

    public RunOutcome outcome() {
        return outcome;
    }
}
