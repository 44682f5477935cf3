package io.jenkins.plugins.clearml.cloud;

/** What a ClearML Queue Cloud build says about its task: its name in the history, its description, its log lines. */
final class QueueBuildText {

    private QueueBuildText() {
    }

    /** {@code #12 train-resnet}: the task's name, else its id, after the build number. */
    static String displayName(int number, String taskName, String taskId) {
        return "#" + number + " " + (taskName == null || taskName.isBlank() ? taskId : taskName);
    }

    /** The build's cause, in the build queue and on the build. */
    static String startedBy(String cloud, String taskId, String queue) {
        return "Started by ClearML Queue Cloud '" + cloud + "': task " + taskId + " from queue " + queue;
    }

    /** The task's id, name and queue, the cloud and the worker that ran it. */
    static String description(String taskId, String taskName, String queue, String cloud, String workerId) {
        String name = taskName == null || taskName.isBlank() ? "" : " '" + taskName + "'";
        return "ClearML task " + taskId + name + " from queue " + queue + " (ClearML Queue Cloud '" + cloud
                + "'), worker " + workerId;
    }

    /** The one line of a build whose task this controller does not hold (restored from queue.xml, or run by hand). */
    static String noLiveRun(String cloud, String taskId) {
        if (taskId == null) {
            return "[ClearML] Nothing to run: this job runs the tasks a ClearML Queue Cloud places; a build started "
                    + "by hand has no task.";
        }
        return "[ClearML] ClearML task " + taskId + " is not in hand of ClearML Queue Cloud '" + cloud
                + "' in this controller (the build was queued before a restart, or the cloud was reconfigured): "
                + "not run here; the task is left to the cloud.";
    }
}
