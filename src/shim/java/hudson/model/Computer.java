package hudson.model;

import hudson.security.AccessControlled;

public abstract class Computer extends Actionable implements AccessControlled {
    protected Computer(Node node) {
        throw new UnsupportedOperationException("compile-only Jenkins API shim");
    }

    public String getName() {
        throw new UnsupportedOperationException("compile-only Jenkins API shim");
    }

    public Node getNode() {
        throw new UnsupportedOperationException("compile-only Jenkins API shim");
    }

    public int countIdle() {
        throw new UnsupportedOperationException("compile-only Jenkins API shim");
    }

    public final boolean isOnline() {
        throw new UnsupportedOperationException("compile-only Jenkins API shim");
    }
}
