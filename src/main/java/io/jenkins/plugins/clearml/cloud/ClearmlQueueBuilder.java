package io.jenkins.plugins.clearml.cloud;

import hudson.Extension;
import hudson.Launcher;
import hudson.model.AbstractBuild;
import hudson.model.AbstractProject;
import hudson.model.BuildListener;
import hudson.model.Result;
import hudson.tasks.BuildStepDescriptor;
import hudson.tasks.Builder;
import java.io.IOException;
import org.kohsuke.stapler.DataBoundConstructor;

/**
 * The one build step of a ClearML Queue Cloud's job: runs the ClearML task its build was scheduled for, on the
 * build's node, with the console in the build log. A build with no live run behind it (restored from queue.xml
 * after a restart, or started by hand), or that is not the run's current queue item, ends NOT_BUILT with one line.
 */
public final class ClearmlQueueBuilder extends Builder {

    static final String DISPLAY_NAME = "Run the task placed by a ClearML Queue Cloud";

    @DataBoundConstructor
    public ClearmlQueueBuilder() {
    }

    /**
     * Sets the build's result itself and always returns true, so that Jenkins' "marked build as failure" line never
     * contradicts an ABORTED or NOT_BUILT result.
     */
    @Override
    public boolean perform(AbstractBuild<?, ?> build, Launcher launcher, BuildListener listener)
            throws InterruptedException, IOException {
        ClearmlQueueAction action = build.getAction(ClearmlQueueAction.class);
        ClearmlQueueRun run = action == null ? null : action.liveRun();
        if (run != null && build.getQueueId() != run.itemId()) {
            run = null; // an older item for the same task (restored after a restart): the run is another build's
        }
        QueueBuildResult result;
        if (run == null) {
            listener.getLogger().println(QueueBuildText.noLiveRun(action == null ? null : action.getCloud(),
                    action == null ? null : action.getTaskId()));
            result = QueueBuildResult.NOT_BUILT;
        } else {
            result = run.execute(build, launcher, listener);
        }
        build.setResult(Result.fromString(result.name()));
        return true;
    }

    /** Not offered for other jobs: the plugin adds the step to the cloud's job itself. */
    @Extension
    public static final class DescriptorImpl extends BuildStepDescriptor<Builder> {

        @Override
        public String getDisplayName() {
            return DISPLAY_NAME;
        }

        @Override
        @SuppressWarnings("rawtypes")
        public boolean isApplicable(Class<? extends AbstractProject> jobType) {
            return false;
        }
    }
}
