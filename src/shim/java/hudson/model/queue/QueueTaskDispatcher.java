package hudson.model.queue;

import hudson.ExtensionPoint;
import hudson.model.Node;
import hudson.model.Queue;

public abstract class QueueTaskDispatcher implements ExtensionPoint {
    public QueueTaskDispatcher() {
    }

    public CauseOfBlockage canTake(Node node, Queue.BuildableItem item) {
        throw new UnsupportedOperationException("compile-only Jenkins API shim");
    }

    public CauseOfBlockage canRun(Queue.Item item) {
        throw new UnsupportedOperationException("compile-only Jenkins API shim");
    }
}
