package io.jenkins.plugins.clearml.dispatch;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Capacity for runs that the Jenkins queue places: a run is admitted while the online nodes matching its label
 * have room for it, or while fewer than {@code maxWaitingForNode} admitted runs wait beyond that room (those
 * wait in the Jenkins queue for another cloud, e.g. Kubernetes or EC2, to provision a node for the label — the
 * counterpart of the Kubernetes glue's pending queue and {@code --max-pods}). The node and its GPUs are taken when
 * the run starts there ({@link #bind}). Thread-safe.
 */
public final class LabelAdmission implements Capacity {

    private final NodePool nodes;
    private volatile int maxWaitingForNode;
    private final Map<String, Integer> unbound = new HashMap<>();
    private final Map<String, DispatchTemplate> templates = new HashMap<>();

    public LabelAdmission(NodePool nodes, int maxWaitingForNode) {
        this.nodes = nodes;
        this.maxWaitingForNode = maxWaitingForNode;
    }

    public NodePool nodes() {
        return nodes;
    }

    public void setMaxWaitingForNode(int max) {
        this.maxWaitingForNode = max;
    }

    @Override
    public synchronized Optional<Placement> reserve(DispatchTemplate template) {
        int waiting = unbound.getOrDefault(template.name(), 0);
        if (waiting < nodes.freeSlots(template) || waitingBeyondRoom() < maxWaitingForNode) {
            templates.put(template.name(), template);
            unbound.merge(template.name(), 1, Integer::sum);
            return Optional.of(Placement.unbound());
        }
        return Optional.empty();
    }

    @Override
    public synchronized Optional<Placement> bind(DispatchTemplate template, Placement placement, String node) {
        if (placement.bound()) {
            return Optional.of(placement);
        }
        Optional<Placement> bound = nodes.bind(template, placement, node);
        bound.ifPresent(p -> unbound.merge(template.name(), -1, Integer::sum));
        return bound;
    }

    @Override
    public synchronized void release(DispatchTemplate template, Placement placement) {
        if (placement.bound()) {
            nodes.release(template, placement);
        } else {
            unbound.merge(template.name(), -1, Integer::sum);
        }
    }

    @Override
    public Optional<Instant> offlineSince(String node) {
        return nodes.offlineSince(node);
    }

    /** Admitted runs of this template that have no node yet. */
    public synchronized int waiting(DispatchTemplate template) {
        return unbound.getOrDefault(template.name(), 0);
    }

    /**
     * Whether runs of this template admitted now would wait for a node to be provisioned (no online node has room).
     */
    public synchronized boolean wouldWaitForNode(DispatchTemplate template) {
        return unbound.getOrDefault(template.name(), 0) >= nodes.freeSlots(template);
    }

    /** Admitted runs that wait beyond the room the online nodes have: those wait for a new node. */
    private int waitingBeyondRoom() {
        // Per template: templates sharing nodes may overcount the room, which only means a run waits in the
        // Jenkins queue, where the GPU check of the queue task dispatcher still protects the node.
        int total = 0;
        for (Map.Entry<String, Integer> e : unbound.entrySet()) {
            total += Math.max(0, e.getValue() - nodes.freeSlots(templates.get(e.getKey())));
        }
        return total;
    }
}
