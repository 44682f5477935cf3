package io.jenkins.plugins.clearml.jenkins;

import com.cloudbees.plugins.credentials.CredentialsMatchers;
import com.cloudbees.plugins.credentials.common.StandardListBoxModel;
import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;
import hudson.Extension;
import hudson.model.AbstractDescribableImpl;
import hudson.model.Descriptor;
import hudson.security.ACL;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.clearml.client.ClearMLClient;
import java.util.List;
import jenkins.model.Jenkins;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/** A ClearML server in the global configuration; see {@link ServerSettings} for the fields. */
public final class ClearmlServer extends AbstractDescribableImpl<ClearmlServer> {

    private final String name;
    private final String apiUrl;
    private final String credentialsId;
    private String webUrl = "";
    private String filesUrl = "";

    @DataBoundConstructor
    public ClearmlServer(String name, String apiUrl, String credentialsId) {
        this.name = Strings.trim(name);
        this.apiUrl = Strings.trim(apiUrl);
        this.credentialsId = Strings.trim(credentialsId);
    }

    public String getName() {
        return name;
    }

    public String getApiUrl() {
        return apiUrl;
    }

    public String getCredentialsId() {
        return credentialsId;
    }

    public String getWebUrl() {
        return webUrl;
    }

    @DataBoundSetter
    public void setWebUrl(String webUrl) {
        this.webUrl = Strings.trim(webUrl);
    }

    public String getFilesUrl() {
        return filesUrl;
    }

    @DataBoundSetter
    public void setFilesUrl(String filesUrl) {
        this.filesUrl = Strings.trim(filesUrl);
    }

    public ServerSettings toSettings() {
        return new ServerSettings(name, apiUrl, webUrl, filesUrl, credentialsId);
    }

    /** Form checks, the credentials list and the connection test of one server entry. */
    @Extension
    @Symbol("clearmlServer")
    public static final class DescriptorImpl extends Descriptor<ClearmlServer> {

        @Override
        public String getDisplayName() {
            return "ClearML server";
        }

        public FormValidation doCheckName(@QueryParameter String value) {
            return FormValidations.of(SettingsValidation.serverName(value));
        }

        public FormValidation doCheckApiUrl(@QueryParameter String value) {
            return FormValidations.of(SettingsValidation.apiUrl(value));
        }

        public FormValidation doCheckWebUrl(@QueryParameter String value) {
            return FormValidations.of(SettingsValidation.optionalUrl(value, "web UI"));
        }

        public FormValidation doCheckFilesUrl(@QueryParameter String value) {
            return FormValidations.of(SettingsValidation.optionalUrl(value, "file server"));
        }

        /** Tells whether the credential exists and is a username with password: it reads credentials, hence POST. */
        @POST
        public FormValidation doCheckCredentialsId(@QueryParameter String value) {
            if (!Jenkins.get().hasPermission(Jenkins.ADMINISTER)) {
                return FormValidation.ok();
            }
            Verdict required = SettingsValidation.credentialsId(value);
            if (required.isError()) {
                return FormValidations.of(required);
            }
            CredentialLookup.Result found = JenkinsCredentials.system().find(Strings.trim(value));
            if (found instanceof CredentialLookup.Missing) {
                return FormValidation.error("No credential with this id exists.");
            }
            if (found instanceof CredentialLookup.WrongKind wrong) {
                return FormValidation.error("This is a " + wrong.kind() + ": choose a username-with-password credential.");
            }
            return FormValidation.ok();
        }

        /** The username-with-password credentials of the Jenkins instance; administrators only. */
        @POST
        public ListBoxModel doFillCredentialsIdItems(@QueryParameter String credentialsId) {
            StandardListBoxModel model = new StandardListBoxModel();
            if (!Jenkins.get().hasPermission(Jenkins.ADMINISTER)) {
                model.includeCurrentValue(credentialsId);
                return model;
            }
            model.includeEmptyValue();
            model.includeMatchingAs(ACL.SYSTEM2, Jenkins.get(), StandardUsernamePasswordCredentials.class, List.of(),
                    CredentialsMatchers.always());
            model.includeCurrentValue(credentialsId);
            return model;
        }

        /** Logs in to the server with the form's values (not yet saved). */
        @POST
        public FormValidation doTestConnection(@QueryParameter String apiUrl, @QueryParameter String webUrl,
                @QueryParameter String filesUrl, @QueryParameter String credentialsId) {
            Jenkins.get().checkPermission(Jenkins.ADMINISTER);
            ServerSettings server = new ServerSettings("test", apiUrl, webUrl, filesUrl, credentialsId);
            return FormValidations.of(new ConnectionCheck(JenkinsCredentials.system(), ClearMLClient::new).test(server));
        }
    }
}
