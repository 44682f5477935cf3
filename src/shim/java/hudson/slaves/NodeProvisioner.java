package hudson.slaves;

import hudson.model.Node;
import java.util.concurrent.Future;

public class NodeProvisioner {

    NodeProvisioner() {
        throw new UnsupportedOperationException("compile-only Jenkins API shim");
    }

    public static class PlannedNode {
        public final String displayName;
        public final Future<Node> future;
        public final int numExecutors;

        public PlannedNode(String displayName, Future<Node> future, int numExecutors) {
            throw new UnsupportedOperationException("compile-only Jenkins API shim");
        }
    }
}
