package hudson.model;

public abstract class AbstractItem extends Actionable implements Item {
    protected AbstractItem(ItemGroup parent, String name) {
    }

    public String getName() {
        throw new UnsupportedOperationException("compile-only Jenkins API shim");
    }

    public String getDisplayName() {
        throw new UnsupportedOperationException("compile-only Jenkins API shim");
    }

    @Override
    public final String getFullName() {
        throw new UnsupportedOperationException("compile-only Jenkins API shim");
    }

    public final String getFullDisplayName() {
        throw new UnsupportedOperationException("compile-only Jenkins API shim");
    }

    public final String getUrl() {
        throw new UnsupportedOperationException("compile-only Jenkins API shim");
    }
}
