package io.jenkins.plugins.clearml.cloud;

import hudson.Extension;
import hudson.model.Descriptor;
import hudson.slaves.Cloud;
import hudson.slaves.NodeProvisioner;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.clearml.dispatch.DispatcherStatus;
import io.jenkins.plugins.clearml.dispatch.NodePool;
import io.jenkins.plugins.clearml.jenkins.ClearmlGlobalConfiguration;
import io.jenkins.plugins.clearml.jenkins.ClearmlServer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;

/**
 * <b>ClearML Queue Cloud</b> (Manage Jenkins » Clouds): serves ClearML queues with the Jenkins nodes. Each template
 * maps ClearML queues to a Jenkins label expression, GPUs per task, an optional docker image and a concurrency
 * limit. A task is taken off its ClearML queue only when a node matching the label has room for it (or while fewer
 * than {@link #getMaxWaitingForNode()} tasks wait for a node to be provisioned), then goes through the Jenkins
 * build queue with that label, so Jenkins picks the node, and other clouds (Kubernetes, EC2) can provision one. Each
 * task runs as a build of the cloud's job ({@link #getJobName()}), which keeps its console and the history.
 *
 * <p>This cloud provisions no node itself: {@link #canProvision} is false, so Jenkins asks the other clouds for the
 * label. It is a Cloud because that is where administrators configure "where work runs" (and where Configuration as
 * Code puts such things); the work it brings is ClearML tasks, scheduled as Jenkins queue items. See
 * docs/queue-cloud.md.
 */
public final class ClearmlQueueCloud extends Cloud {

    private final String server;
    private List<QueueTemplate> templates = new ArrayList<>();
    private int maxWaitingForNode = 2;
    private boolean fairOrder;
    private boolean requeueOnNodeLoss;
    private String jobName = "";
    private transient volatile String problem;

    @DataBoundConstructor
    public ClearmlQueueCloud(String name, String server) {
        super(name);
        this.server = server == null ? "" : server.trim();
        QueueCloudReconciler.created(this);
    }

    /** XStream skips the constructor: register here too. */
    private Object readResolve() {
        if (templates == null) {
            templates = new ArrayList<>();
        }
        QueueCloudReconciler.created(this);
        return this;
    }

    /** The cloud's name (the form field; {@code name} is Cloud's public field). */
    public String getName() {
        return name;
    }

    public String getServer() {
        return server;
    }

    public List<QueueTemplate> getTemplates() {
        return List.copyOf(templates);
    }

    @DataBoundSetter
    public void setTemplates(List<QueueTemplate> templates) {
        this.templates = templates == null ? new ArrayList<>() : new ArrayList<>(templates);
    }

    public int getMaxWaitingForNode() {
        return maxWaitingForNode;
    }

    @DataBoundSetter
    public void setMaxWaitingForNode(int maxWaitingForNode) {
        this.maxWaitingForNode = Math.max(0, maxWaitingForNode);
    }

    public boolean isFairOrder() {
        return fairOrder;
    }

    @DataBoundSetter
    public void setFairOrder(boolean fairOrder) {
        this.fairOrder = fairOrder;
    }

    public boolean isRequeueOnNodeLoss() {
        return requeueOnNodeLoss;
    }

    @DataBoundSetter
    public void setRequeueOnNodeLoss(boolean requeueOnNodeLoss) {
        this.requeueOnNodeLoss = requeueOnNodeLoss;
    }

    /** The configured name of the job that holds the cloud's builds; empty for {@code clearml-<cloud name>}. */
    public String getJobName() {
        return jobName == null ? "" : jobName;
    }

    @DataBoundSetter
    public void setJobName(String jobName) {
        this.jobName = jobName == null ? "" : jobName.trim();
    }

    /** The name of the job that holds the cloud's builds: the configured one, else {@code clearml-<cloud name>}. */
    public String getJobNameInUse() {
        return QueueJobName.of(name, jobName);
    }

    /** Nothing to provision: the nodes come from Jenkins and from the other clouds. */
    @Override
    public Collection<NodeProvisioner.PlannedNode> provision(Cloud.CloudState state, int excessWorkload) {
        return List.of();
    }

    /** False, so Jenkins asks the clouds that can provision nodes for the label. */
    @Override
    public boolean canProvision(Cloud.CloudState state) {
        return false;
    }

    // ---- status page (index.jelly) ----------------------------------------------------------------------------

    /** Why the cloud is not serving its queues, or null. */
    public String getProblem() {
        return problem;
    }

    void setProblem(String problem) {
        this.problem = problem;
    }

    /** Queues, backlog, runs in hand and totals; null while the cloud is not running. */
    public DispatcherStatus getStatus() {
        QueueCloudService service = QueueCloudReconciler.serviceOf(this);
        return service == null ? null : service.status();
    }

    /** The nodes and their GPUs in use (shared by all ClearML Queue Clouds). */
    public List<NodePool.NodeUsage> getNodes() {
        return JenkinsNodes.get().pool().usage();
    }

    /** The job holding the runs as builds, for the status page: {@code job/<name>/}. */
    public String getJobUrl() {
        return QueueJobName.url(getJobNameInUse());
    }

    /** A run's build (relative to Jenkins' root) once it runs, else the job, where the queue shows the item. */
    public String buildUrlOf(String taskId) {
        ClearmlQueueRun run = QueueCloudReconciler.liveRun(name, taskId);
        String build = run == null ? null : run.buildUrl();
        return build != null ? build : getJobUrl();
    }

    /** The form. */
    @Extension
    @Symbol("clearmlQueue")
    public static final class DescriptorImpl extends Descriptor<Cloud> {

        @Override
        public String getDisplayName() {
            return "ClearML Queue Cloud";
        }

        public ListBoxModel doFillServerItems() {
            ListBoxModel items = new ListBoxModel();
            items.add("(default server)", "");
            for (ClearmlServer s : ClearmlGlobalConfiguration.get().getServers()) {
                items.add(s.getName(), s.getName());
            }
            return items;
        }

        public FormValidation doCheckJobName(@QueryParameter String value) {
            if (value == null || value.isBlank()) {
                return FormValidation.ok("Empty: clearml-<cloud name>.");
            }
            String problem = QueueJobName.problem(value.trim());
            return problem == null ? FormValidation.ok() : FormValidation.error(problem);
        }

        public FormValidation doCheckMaxWaitingForNode(@QueryParameter String value) {
            try {
                return Integer.parseInt(value.trim()) < 0
                        ? FormValidation.error("Use 0 (only nodes that are online now) or more.") : FormValidation.ok();
            } catch (NumberFormatException e) {
                return FormValidation.error("Not a whole number: " + value);
            }
        }
    }
}
