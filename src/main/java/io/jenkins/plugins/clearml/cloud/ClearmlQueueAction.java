package io.jenkins.plugins.clearml.cloud;

import hudson.model.Action;
import hudson.model.Label;
import hudson.model.Queue;
import hudson.model.labels.LabelAssignmentAction;
import hudson.model.queue.SubTask;
import java.util.List;
import jenkins.model.Jenkins;

/**
 * On a queue item of a ClearML Queue Cloud's job, then on its build: which cloud placed which ClearML task, and the
 * template's label, which Jenkins uses instead of the job's to pick the node. Two items for different tasks are
 * never folded into one; two for the same task are (the same task cannot run twice). Invisible: the build shows the
 * task through its {@code ClearmlRunAction}. Plain fields: Jenkins keeps it in queue.xml and build.xml.
 */
public final class ClearmlQueueAction implements Queue.QueueAction, LabelAssignmentAction {

    private final String cloud;
    private final String taskId;
    private final String queue;
    private final String label;

    ClearmlQueueAction(String cloud, String taskId, String queue, String label) {
        this.cloud = cloud;
        this.taskId = taskId;
        this.queue = queue;
        this.label = label == null ? "" : label;
    }

    public String getCloud() {
        return cloud;
    }

    public String getTaskId() {
        return taskId;
    }

    public String getQueue() {
        return queue;
    }

    /** The template's label expression; empty for any node. */
    public String getLabel() {
        return label;
    }

    boolean sameTask(ClearmlQueueAction other) {
        return cloud.equals(other.cloud) && taskId.equals(other.taskId);
    }

    /** A new item unless the other one is for this very task. */
    @Override
    public boolean shouldSchedule(List<Action> actions) {
        return actions.stream().noneMatch(a -> a instanceof ClearmlQueueAction other && sameTask(other));
    }

    @Override
    public Label getAssignedLabel(SubTask task) {
        return label.isEmpty() ? null : Jenkins.get().getLabel(label);
    }

    /** The run this item is for, while its cloud holds it in this controller; null otherwise. */
    ClearmlQueueRun liveRun() {
        return QueueCloudReconciler.liveRun(cloud, taskId);
    }

    @Override
    public String getIconFileName() {
        return null;
    }

    @Override
    public String getDisplayName() {
        return null;
    }

    @Override
    public String getUrlName() {
        return null;
    }
}
