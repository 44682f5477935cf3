package hudson.model;

import hudson.EnvVars;
import hudson.FilePath;
import java.io.IOException;

public abstract class AbstractBuild<P extends AbstractProject<P, R>, R extends AbstractBuild<P, R>> extends Run<P, R>
        implements Queue.Executable {
    protected AbstractBuild(P job) throws IOException {
        super(job);
    }

    public Node getBuiltOn() {
        throw new UnsupportedOperationException("compile-only Jenkins API shim");
    }

    public final FilePath getWorkspace() {
        throw new UnsupportedOperationException("compile-only Jenkins API shim");
    }

    @Override
    public EnvVars getEnvironment(TaskListener log) throws IOException, InterruptedException {
        throw new UnsupportedOperationException("compile-only Jenkins API shim");
    }

    @Override
    public abstract void run();
}
