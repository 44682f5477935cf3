package io.jenkins.plugins.clearml.cloud;

import hudson.model.Label;
import hudson.model.Queue;
import hudson.model.queue.SubTask;
import jenkins.model.Jenkins;

/**
 * A ClearML task in the Jenkins build queue, labelled with its template's label expression. Transient: it is not
 * kept across a controller restart (the cloud returns waiting tasks to their ClearML queue when Jenkins stops).
 */
public final class ClearmlQueueTask implements Queue.TransientTask {

    private final ClearmlQueueRun run;

    ClearmlQueueTask(ClearmlQueueRun run) {
        this.run = run;
    }

    public ClearmlQueueRun run() {
        return run;
    }

    @Override
    public String getName() {
        return "clearml-" + run.getTaskId();
    }

    @Override
    public String getDisplayName() {
        return "ClearML task " + run.getTaskId() + " from " + run.getQueueName();
    }

    @Override
    public String getFullDisplayName() {
        return getDisplayName() + " (" + run.service().cloudName() + ")";
    }

    @Override
    public String getUrl() {
        return run.service().runUrl(run.getTaskId());
    }

    @Override
    public Label getAssignedLabel() {
        String expression = run.task().template().label();
        return expression.isEmpty() ? null : Jenkins.get().getLabel(expression);
    }

    @Override
    public boolean isConcurrentBuild() {
        return true;
    }

    @Override
    public Queue.Executable createExecutable() {
        return new Execution();
    }

    /** What the executor runs. */
    private final class Execution implements Queue.Executable {
        @Override
        public SubTask getParent() {
            return ClearmlQueueTask.this;
        }

        @Override
        public void run() {
            ClearmlQueueTask.this.run.execute();
        }

        @Override
        public String getConsoleUrl() {
            return getUrl();
        }

        @Override
        public String toString() {
            return getDisplayName();
        }
    }
}
