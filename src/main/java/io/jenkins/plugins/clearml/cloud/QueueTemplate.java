package io.jenkins.plugins.clearml.cloud;

import hudson.Extension;
import hudson.model.AbstractDescribableImpl;
import hudson.model.Descriptor;
import hudson.util.FormValidation;
import io.jenkins.plugins.clearml.dispatch.DispatchTemplate;
import io.jenkins.plugins.clearml.dispatch.QueueRef;
import java.util.Arrays;
import java.util.List;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;

/**
 * One row of a ClearML Queue Cloud: which ClearML queues, on which Jenkins nodes (label), with how many GPUs per
 * task, in which image, how many at once.
 */
public final class QueueTemplate extends AbstractDescribableImpl<QueueTemplate> {

    private final String queues;
    private final String label;
    private int gpusPerTask = 1;
    private boolean docker;
    private String dockerImage = "";
    private int maxConcurrent;

    @DataBoundConstructor
    public QueueTemplate(String queues, String label) {
        this.queues = queues == null ? "" : queues.trim();
        this.label = label == null ? "" : label.trim();
    }

    public String getQueues() {
        return queues;
    }

    public String getLabel() {
        return label;
    }

    public int getGpusPerTask() {
        return gpusPerTask;
    }

    @DataBoundSetter
    public void setGpusPerTask(int gpusPerTask) {
        this.gpusPerTask = Math.max(0, gpusPerTask);
    }

    public boolean isDocker() {
        return docker;
    }

    @DataBoundSetter
    public void setDocker(boolean docker) {
        this.docker = docker;
    }

    public String getDockerImage() {
        return dockerImage;
    }

    @DataBoundSetter
    public void setDockerImage(String dockerImage) {
        this.dockerImage = dockerImage == null ? "" : dockerImage.trim();
    }

    public int getMaxConcurrent() {
        return maxConcurrent;
    }

    @DataBoundSetter
    public void setMaxConcurrent(int maxConcurrent) {
        this.maxConcurrent = Math.max(0, maxConcurrent);
    }

    /** The queue names or ids, in priority order. */
    public List<String> queueList() {
        return parseQueues(queues);
    }

    static List<String> parseQueues(String text) {
        return Arrays.stream((text == null ? "" : text).split("[,\\s]+")).map(String::trim).filter(s -> !s.isEmpty())
                .toList();
    }

    /** A short name for logs and the status page: the first queue and the label. */
    public String displayName() {
        List<String> q = queueList();
        return (q.isEmpty() ? "(no queue)" : String.join(",", q)) + (label.isEmpty() ? "" : " → " + label);
    }

    DispatchTemplate toDispatchTemplate(List<QueueRef> resolved) {
        return new DispatchTemplate(displayName(), resolved, label, gpusPerTask, docker ? dockerImage : null,
                maxConcurrent);
    }

    /** The form. */
    @Extension
    public static final class DescriptorImpl extends Descriptor<QueueTemplate> {

        @Override
        public String getDisplayName() {
            return "ClearML queue template";
        }

        public FormValidation doCheckQueues(@QueryParameter String value) {
            return parseQueues(value).isEmpty()
                    ? FormValidation.error("Name at least one ClearML queue (names or ids, separated by commas).")
                    : FormValidation.ok();
        }

        public FormValidation doCheckGpusPerTask(@QueryParameter String value) {
            try {
                return Integer.parseInt(value.trim()) < 0
                        ? FormValidation.error("GPUs per task must be 0 (CPU only) or more.") : FormValidation.ok();
            } catch (NumberFormatException e) {
                return FormValidation.error("Not a whole number: " + value);
            }
        }

        public FormValidation doCheckMaxConcurrent(@QueryParameter String value) {
            try {
                return Integer.parseInt(value.trim()) < 0
                        ? FormValidation.error("Use 0 for no limit, or a positive number.") : FormValidation.ok();
            } catch (NumberFormatException e) {
                return FormValidation.error("Not a whole number: " + value);
            }
        }
    }
}
