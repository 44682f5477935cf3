package hudson.tools;

import hudson.model.Describable;
import hudson.model.Descriptor;

public abstract class PropertyDescriptor<P extends Describable<P>, T> extends Descriptor<P> {
    protected PropertyDescriptor() {
    }
}
