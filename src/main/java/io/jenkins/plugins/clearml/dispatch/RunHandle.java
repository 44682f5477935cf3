package io.jenkins.plugins.clearml.dispatch;

import java.util.concurrent.CompletionStage;

/** A placed task's run, as its {@link TaskRunner} reports it. */
public interface RunHandle {

    /** Completes once, when the run has ended (never exceptionally on purpose; an exception counts as a failure). */
    CompletionStage<RunOutcome> outcome();

    /**
     * Stops the run: a claimed run is killed and its task marked stopped with the reason; a run that has not
     * started yet ends as {@link RunOutcome.Kind#NOT_STARTED}. Returns at once.
     */
    void abort(String reason);
}
