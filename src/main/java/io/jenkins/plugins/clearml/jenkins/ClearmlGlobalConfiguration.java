package io.jenkins.plugins.clearml.jenkins;

import hudson.Extension;
import hudson.ExtensionList;
import hudson.util.FormValidation;
import java.util.ArrayList;
import java.util.List;
import jenkins.model.GlobalConfiguration;
import net.sf.json.JSONObject;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.StaplerRequest2;

/**
 * Manage Jenkins » System » ClearML: the ClearML servers, the default one, and docker defaults. Bound by forms and
 * by Configuration as Code ({@code unclassified: clearml: servers: ...}) through the same setters.
 */
@Extension
@Symbol("clearml")
public class ClearmlGlobalConfiguration extends GlobalConfiguration {

    private List<ClearmlServer> servers = new ArrayList<>();
    private String defaultServer = "";
    private String defaultDockerImage = "";
    private String allowedDockerArguments = "";

    /** Set while the form is bound, so the setters do not save a configuration that has not been checked yet. */
    private transient boolean binding;

    public ClearmlGlobalConfiguration() {
        load();
    }

    @Override
    public String getDisplayName() {
        return "ClearML";
    }

    public static ClearmlGlobalConfiguration get() {
        return ExtensionList.lookupSingleton(ClearmlGlobalConfiguration.class);
    }

    public synchronized List<ClearmlServer> getServers() {
        return servers == null ? List.of() : List.copyOf(servers);
    }

    @DataBoundSetter
    public synchronized void setServers(List<ClearmlServer> servers) {
        this.servers = servers == null ? new ArrayList<>() : new ArrayList<>(servers);
        persist();
    }

    public synchronized String getDefaultServer() {
        return defaultServer;
    }

    @DataBoundSetter
    public synchronized void setDefaultServer(String defaultServer) {
        this.defaultServer = Strings.trim(defaultServer);
        persist();
    }

    public synchronized String getDefaultDockerImage() {
        return defaultDockerImage;
    }

    @DataBoundSetter
    public synchronized void setDefaultDockerImage(String defaultDockerImage) {
        this.defaultDockerImage = Strings.trim(defaultDockerImage);
        persist();
    }

    /** One regular expression per line. */
    public synchronized String getAllowedDockerArguments() {
        return allowedDockerArguments;
    }

    @DataBoundSetter
    public synchronized void setAllowedDockerArguments(String allowedDockerArguments) {
        this.allowedDockerArguments = allowedDockerArguments == null ? "" : allowedDockerArguments.strip();
        persist();
    }

    /** The configuration as plain data, for the step and the cloud. */
    public synchronized PluginSettings toSettings() {
        return new PluginSettings(getServers().stream().map(ClearmlServer::toSettings).toList(), defaultServer,
                defaultDockerImage, Strings.lines(allowedDockerArguments));
    }

    @Override
    public synchronized boolean configure(StaplerRequest2 req, JSONObject json) throws FormException {
        List<ClearmlServer> oldServers = servers;
        String oldDefault = defaultServer;
        String oldImage = defaultDockerImage;
        String oldAllowed = allowedDockerArguments;
        binding = true;
        try {
            // A repeatable list is missing from the form data once its last entry is deleted: start from empty.
            servers = new ArrayList<>();
            defaultServer = "";
            defaultDockerImage = "";
            allowedDockerArguments = "";
            req.bindJSON(this, json);
            SettingsValidation.validate(toSettings());
        } catch (UserInputException e) {
            servers = oldServers;
            defaultServer = oldDefault;
            defaultDockerImage = oldImage;
            allowedDockerArguments = oldAllowed;
            throw new FormException(e.getMessage(), "servers");
        } finally {
            binding = false;
        }
        save();
        return true;
    }

    private void persist() {
        if (!binding) {
            save();
        }
    }

    public FormValidation doCheckDefaultServer(@QueryParameter String value) {
        String name = Strings.trim(value);
        if (name.isEmpty()) {
            return toSettings().servers().size() > 1
                    ? FormValidation.warning("Steps that name no server will fail: choose a default server.")
                    : FormValidation.ok();
        }
        return toSettings().find(name).isPresent()
                ? FormValidation.ok()
                : FormValidation.warning("No saved server has this name yet; it must match one of the servers above.");
    }

    public FormValidation doCheckAllowedDockerArguments(@QueryParameter String value) {
        return FormValidations.of(SettingsValidation.dockerArgumentAllowList(value));
    }
}
