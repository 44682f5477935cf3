package hudson.model;

import hudson.security.AccessControlled;

public abstract class Node extends AbstractModelObject implements AccessControlled {
    public Node() {
    }

    public abstract String getNodeName();

    public abstract int getNumExecutors();

    public abstract hudson.Launcher createLauncher(TaskListener listener);

    public abstract hudson.FilePath getRootPath();

    public <T extends hudson.slaves.NodeProperty> T getNodeProperty(Class<T> clazz) {
        throw new UnsupportedOperationException("compile-only Jenkins API shim");
    }

    public final Computer toComputer() {
        throw new UnsupportedOperationException("compile-only Jenkins API shim");
    }
}
