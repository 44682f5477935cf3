package hudson.slaves;

import hudson.ExtensionPoint;
import hudson.model.Actionable;
import hudson.model.Describable;
import hudson.model.Descriptor;
import hudson.model.Label;
import hudson.security.AccessControlled;
import java.util.Collection;

public abstract class Cloud extends Actionable implements ExtensionPoint, Describable<Cloud>, AccessControlled {

    public String name;

    protected Cloud(String name) {
        throw new UnsupportedOperationException("compile-only Jenkins API shim");
    }

    public String getDisplayName() {
        throw new UnsupportedOperationException("compile-only Jenkins API shim");
    }

    public String getUrl() {
        throw new UnsupportedOperationException("compile-only Jenkins API shim");
    }

    public Collection<NodeProvisioner.PlannedNode> provision(Cloud.CloudState state, int excessWorkload) {
        throw new UnsupportedOperationException("compile-only Jenkins API shim");
    }

    public boolean canProvision(Cloud.CloudState state) {
        throw new UnsupportedOperationException("compile-only Jenkins API shim");
    }

    public Descriptor<Cloud> getDescriptor() {
        throw new UnsupportedOperationException("compile-only Jenkins API shim");
    }

    public static final class CloudState {
        public CloudState(Label label, int additionalPlannedCapacity) {
            throw new UnsupportedOperationException("compile-only Jenkins API shim");
        }

        public Label getLabel() {
            throw new UnsupportedOperationException("compile-only Jenkins API shim");
        }

        public int getAdditionalPlannedCapacity() {
            throw new UnsupportedOperationException("compile-only Jenkins API shim");
        }
    }
}
