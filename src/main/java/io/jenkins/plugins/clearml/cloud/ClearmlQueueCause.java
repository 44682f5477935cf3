package io.jenkins.plugins.clearml.cloud;

import hudson.model.Cause;

/** "Started by" the cloud that placed the task, and from which queue. Shown in the build queue and on the build. */
public final class ClearmlQueueCause extends Cause {

    private final String cloud;
    private final String taskId;
    private final String queue;

    ClearmlQueueCause(String cloud, String taskId, String queue) {
        this.cloud = cloud;
        this.taskId = taskId;
        this.queue = queue;
    }

    @Override
    public String getShortDescription() {
        return QueueBuildText.startedBy(cloud, taskId, queue);
    }
}
