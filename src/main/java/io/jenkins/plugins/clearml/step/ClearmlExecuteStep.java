package io.jenkins.plugins.clearml.step;

import com.cloudbees.plugins.credentials.CredentialsMatchers;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.common.StandardListBoxModel;
import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;
import hudson.Extension;
import hudson.model.Item;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.security.ACL;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.clearml.jenkins.ClearmlGlobalConfiguration;
import io.jenkins.plugins.clearml.jenkins.ServerSettings;
import io.jenkins.plugins.clearml.jenkins.Strings;
import io.jenkins.plugins.clearml.jenkins.UserInputException;
import java.util.List;
import java.util.Set;
import jenkins.model.Jenkins;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * {@code clearmlExecute(taskId: 'abc', server: 'prod', docker: true, image: '...', gpus: '0,1', gitCredentialsId: '...')}:
 * reproduces a ClearML task on the node of the enclosing {@code node {}} block and runs it, with its console in the
 * build log and in ClearML, and returns {@code [id:, status:, url:]}.
 */
public final class ClearmlExecuteStep extends Step {

    private final String taskId;
    private String server = "";
    private boolean docker;
    private String image = "";
    private String gpus = "";
    private String gitCredentialsId = "";

    /** The task id is the sole required argument, so {@code clearmlExecute('abc')} works too. */
    @DataBoundConstructor
    public ClearmlExecuteStep(String taskId) {
        this.taskId = Strings.trim(taskId);
    }

    public String getTaskId() {
        return taskId;
    }

    public String getServer() {
        return server;
    }

    @DataBoundSetter
    public void setServer(String server) {
        this.server = Strings.trim(server);
    }

    public boolean isDocker() {
        return docker;
    }

    @DataBoundSetter
    public void setDocker(boolean docker) {
        this.docker = docker;
    }

    public String getImage() {
        return image;
    }

    @DataBoundSetter
    public void setImage(String image) {
        this.image = Strings.trim(image);
    }

    public String getGpus() {
        return gpus;
    }

    @DataBoundSetter
    public void setGpus(String gpus) {
        this.gpus = Strings.trim(gpus);
    }

    public String getGitCredentialsId() {
        return gitCredentialsId;
    }

    @DataBoundSetter
    public void setGitCredentialsId(String gitCredentialsId) {
        this.gitCredentialsId = Strings.trim(gitCredentialsId);
    }

    public StepRequest toRequest() {
        return new StepRequest(taskId, server, docker, image, gpus, gitCredentialsId);
    }

    @Override
    public StepExecution start(StepContext context) {
        return new ClearmlExecuteExecution(context, toRequest());
    }

    /** The step's name, context and Snippet Generator form. */
    @Extension
    public static final class DescriptorImpl extends StepDescriptor {

        @Override
        public String getFunctionName() {
            return "clearmlExecute";
        }

        @Override
        public String getDisplayName() {
            return "Run a ClearML task on this node";
        }

        /**
         * Launcher and workspace are not required here but checked when the step starts, so that a call outside
         * {@code node {}} fails with this plugin's one-line explanation.
         */
        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(Run.class, TaskListener.class);
        }

        public FormValidation doCheckTaskId(@QueryParameter String value) {
            if (Strings.isBlank(value)) {
                return FormValidation.error("The id of the ClearML task to run (its INFO tab shows it).");
            }
            try {
                StepPlanner.checkTaskId(value.trim());
                return FormValidation.ok();
            } catch (UserInputException e) {
                return FormValidation.error(e.getMessage());
            }
        }

        public FormValidation doCheckGpus(@QueryParameter String value) {
            try {
                GpuSelection.parse(value);
                return FormValidation.ok();
            } catch (UserInputException e) {
                return FormValidation.error(e.getMessage());
            }
        }

        /** The configured servers' names; the first entry stands for the default server. */
        public ListBoxModel doFillServerItems() {
            ListBoxModel model = new ListBoxModel();
            model.add("(default server)", "");
            for (ServerSettings s : ClearmlGlobalConfiguration.get().toSettings().servers()) {
                model.add(s.name(), s.name());
            }
            return model;
        }

        /** Credentials the job may use for git; lists credentials, hence POST and a permission check. */
        @POST
        public ListBoxModel doFillGitCredentialsIdItems(@AncestorInPath Item item, @QueryParameter String gitCredentialsId) {
            StandardListBoxModel model = new StandardListBoxModel();
            boolean allowed = item == null
                    ? Jenkins.get().hasPermission(Jenkins.ADMINISTER)
                    : item.hasPermission(Item.EXTENDED_READ) || item.hasPermission(CredentialsProvider.USE_ITEM);
            if (!allowed) {
                model.includeCurrentValue(gitCredentialsId);
                return model;
            }
            model.includeEmptyValue();
            if (item == null) {
                model.includeMatchingAs(ACL.SYSTEM2, Jenkins.get(), StandardUsernamePasswordCredentials.class, List.of(),
                        CredentialsMatchers.always());
            } else {
                model.includeMatchingAs(ACL.SYSTEM2, item, StandardUsernamePasswordCredentials.class, List.of(),
                        CredentialsMatchers.always());
            }
            model.includeCurrentValue(gitCredentialsId);
            return model;
        }
    }
}
