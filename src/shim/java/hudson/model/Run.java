package hudson.model;

import hudson.security.AccessControlled;

public abstract class Run<JobT extends Job<JobT, RunT>, RunT extends Run<JobT, RunT>> extends Actionable
        implements AccessControlled {
    protected Run(JobT job) throws java.io.IOException {
    }

    public JobT getParent() {
        throw new UnsupportedOperationException("compile-only Jenkins API shim");
    }

    public int getNumber() {
        throw new UnsupportedOperationException("compile-only Jenkins API shim");
    }

    public String getFullDisplayName() {
        throw new UnsupportedOperationException("compile-only Jenkins API shim");
    }

    public String getExternalizableId() {
        throw new UnsupportedOperationException("compile-only Jenkins API shim");
    }

    public String getUrl() {
        throw new UnsupportedOperationException("compile-only Jenkins API shim");
    }

    public Result getResult() {
        throw new UnsupportedOperationException("compile-only Jenkins API shim");
    }

    public void setResult(Result r) {
        throw new UnsupportedOperationException("compile-only Jenkins API shim");
    }

    public void setDisplayName(String value) throws java.io.IOException {
        throw new UnsupportedOperationException("compile-only Jenkins API shim");
    }

    public void setDescription(String description) throws java.io.IOException {
        throw new UnsupportedOperationException("compile-only Jenkins API shim");
    }

    public long getQueueId() {
        throw new UnsupportedOperationException("compile-only Jenkins API shim");
    }

    public boolean isBuilding() {
        throw new UnsupportedOperationException("compile-only Jenkins API shim");
    }

    public hudson.EnvVars getEnvironment(TaskListener listener) throws java.io.IOException, InterruptedException {
        throw new UnsupportedOperationException("compile-only Jenkins API shim");
    }
}
