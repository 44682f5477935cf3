package hudson.model;

public class CauseAction implements Action {
    public CauseAction(Cause c) {
    }

    @Override
    public String getIconFileName() {
        throw new UnsupportedOperationException("compile-only Jenkins API shim");
    }

    @Override
    public String getDisplayName() {
        throw new UnsupportedOperationException("compile-only Jenkins API shim");
    }

    @Override
    public String getUrlName() {
        throw new UnsupportedOperationException("compile-only Jenkins API shim");
    }
}
