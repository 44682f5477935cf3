package io.jenkins.plugins.clearml.step;

import jenkins.model.CauseOfInterruption;

/** Why a build was aborted when its ClearML task was stopped outside Jenkins (e.g. Abort in the ClearML web UI). */
public final class TaskStoppedCause extends CauseOfInterruption {

    private static final long serialVersionUID = 1L;

    private final String summary;

    public TaskStoppedCause(String summary) {
        this.summary = summary;
    }

    @Override
    public String getShortDescription() {
        return summary;
    }
}
