package io.jenkins.plugins.clearml.cloud;

import hudson.Extension;
import hudson.model.Node;
import hudson.slaves.NodeProperty;
import hudson.slaves.NodePropertyDescriptor;
import hudson.util.FormValidation;
import io.jenkins.plugins.clearml.dispatch.ConfiguredGpus;
import java.util.List;
import java.util.Optional;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.QueryParameter;

/**
 * A node's GPUs for the ClearML Queue Cloud, given instead of detected ({@code nvidia-smi} on the node): for nodes
 * whose GPUs nvidia-smi does not list, or of which only some are to be used. Parsing is {@link ConfiguredGpus}.
 */
public final class ClearmlNodeProperty extends NodeProperty<Node> {

    private final String gpus;

    @DataBoundConstructor
    public ClearmlNodeProperty(String gpus) {
        this.gpus = gpus == null ? "" : gpus.trim();
    }

    /** {@code 0,1,2,3}, {@code 0-3}, {@code none}, or blank to detect. */
    public String getGpus() {
        return gpus;
    }

    /**
     * The configured GPUs; empty to detect them.
     *
     * @throws IllegalArgumentException the value is not a GPU list (set past the form, e.g. by Configuration as Code)
     */
    Optional<List<String>> configuredGpus() {
        return ConfiguredGpus.parse(gpus);
    }

    @Extension
    @Symbol("clearml")
    public static final class DescriptorImpl extends NodePropertyDescriptor {

        @Override
        public String getDisplayName() {
            return "ClearML GPUs";
        }

        public FormValidation doCheckGpus(@QueryParameter String value) {
            return ConfiguredGpus.problem(value).map(FormValidation::error).orElseGet(FormValidation::ok);
        }
    }
}
