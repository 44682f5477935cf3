package jenkins.model;

import hudson.model.AbstractCIBase;
import hudson.security.AccessControlled;
import hudson.security.Permission;

public class Jenkins extends AbstractCIBase implements AccessControlled {
    public static final Permission ADMINISTER = null;

    private Jenkins() {
    }

    public static Jenkins get() throws IllegalStateException {
        throw new UnsupportedOperationException("compile-only Jenkins API shim");
    }

    public static Jenkins getInstanceOrNull() {
        throw new UnsupportedOperationException("compile-only Jenkins API shim");
    }

    public String getRootUrl() throws IllegalStateException {
        throw new UnsupportedOperationException("compile-only Jenkins API shim");
    }

    @Override
    public String getFullName() {
        throw new UnsupportedOperationException("compile-only Jenkins API shim");
    }

    @Override
    public String getNodeName() {
        throw new UnsupportedOperationException("compile-only Jenkins API shim");
    }

    @Override
    public int getNumExecutors() {
        throw new UnsupportedOperationException("compile-only Jenkins API shim");
    }

    @Override
    public hudson.Launcher createLauncher(hudson.model.TaskListener listener) {
        throw new UnsupportedOperationException("compile-only Jenkins API shim");
    }

    @Override
    public hudson.FilePath getRootPath() {
        throw new UnsupportedOperationException("compile-only Jenkins API shim");
    }

    public java.io.File getRootDir() {
        throw new UnsupportedOperationException("compile-only Jenkins API shim");
    }

    public java.util.List<hudson.model.Node> getNodes() {
        throw new UnsupportedOperationException("compile-only Jenkins API shim");
    }

    public boolean isQuietingDown() {
        throw new UnsupportedOperationException("compile-only Jenkins API shim");
    }

    public hudson.model.Queue getQueue() {
        throw new UnsupportedOperationException("compile-only Jenkins API shim");
    }

    public hudson.model.Label getLabel(String expr) {
        throw new UnsupportedOperationException("compile-only Jenkins API shim");
    }

    public hudson.slaves.Cloud getCloud(String name) {
        throw new UnsupportedOperationException("compile-only Jenkins API shim");
    }

    public hudson.model.Computer getComputer(String name) {
        throw new UnsupportedOperationException("compile-only Jenkins API shim");
    }

    public hudson.model.TopLevelItem getItem(String name) throws org.springframework.security.access.AccessDeniedException {
        throw new UnsupportedOperationException("compile-only Jenkins API shim");
    }

    public <T extends hudson.model.TopLevelItem> T createProject(Class<T> type, String name) throws java.io.IOException {
        throw new UnsupportedOperationException("compile-only Jenkins API shim");
    }
}
