package hudson.model;

public abstract class Label extends Actionable implements Comparable<Label> {

    Label() {
        throw new UnsupportedOperationException("compile-only Jenkins API shim");
    }

    public abstract String getExpression();

    public final String getName() {
        throw new UnsupportedOperationException("compile-only Jenkins API shim");
    }

    public final boolean matches(Node n) {
        throw new UnsupportedOperationException("compile-only Jenkins API shim");
    }
}
