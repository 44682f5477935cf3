package hudson.model;

import java.io.IOException;

public abstract class AbstractProject<P extends AbstractProject<P, R>, R extends AbstractBuild<P, R>> extends Job<P, R>
        implements BuildableItem {
    protected AbstractProject(ItemGroup parent, String name) {
        super(parent, name);
    }

    @Override
    public boolean isConcurrentBuild() {
        throw new UnsupportedOperationException("compile-only Jenkins API shim");
    }

    public boolean isDisabled() {
        throw new UnsupportedOperationException("compile-only Jenkins API shim");
    }

    public void setConcurrentBuild(boolean b) throws IOException {
        throw new UnsupportedOperationException("compile-only Jenkins API shim");
    }

    @Override
    public R createExecutable() throws IOException {
        throw new UnsupportedOperationException("compile-only Jenkins API shim");
    }
}
