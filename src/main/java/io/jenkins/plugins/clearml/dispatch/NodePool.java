package io.jenkins.plugins.clearml.dispatch;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The nodes runs are placed on, with their free executors and GPUs. GPUs are handed out whole and never shared:
 * a run gets {@code gpusPerTask} GPUs no other run on that node holds. Among the nodes that fit, the one with the
 * fewest free GPUs is chosen (best fit), which keeps whole machines free for runs that need many GPUs.
 * Thread-safe.
 */
public final class NodePool implements Capacity {

    private final LabelMatcher labels;
    private final Clock clock;
    private final Map<String, NodeState> nodes = new LinkedHashMap<>();

    public NodePool(LabelMatcher labels, Clock clock) {
        this.labels = labels;
        this.clock = clock;
    }

    public NodePool() {
        this(LabelMatcher.SIMPLE, Clock.systemUTC());
    }

    /** Adds the node or updates its description; a node put back online stops counting as lost. */
    public synchronized void put(NodeSpec spec) {
        NodeState state = nodes.get(spec.name());
        if (state == null) {
            nodes.put(spec.name(), new NodeState(spec));
        } else {
            state.spec = spec;
            state.offlineSince = null;
        }
    }

    /**
     * Replaces the known nodes with these (what Jenkins reports now). Nodes no longer listed stay known, as
     * offline, while runs hold them, so their runs can be declared lost; otherwise they are forgotten.
     */
    public synchronized void sync(Collection<NodeSpec> online, Collection<String> offline) {
        Set<String> seen = new LinkedHashSet<>();
        for (NodeSpec spec : online) {
            put(spec);
            seen.add(spec.name());
        }
        for (var it = nodes.values().iterator(); it.hasNext(); ) {
            NodeState state = it.next();
            if (seen.contains(state.spec.name())) {
                continue;
            }
            if (state.runs == 0 && !offline.contains(state.spec.name())) {
                it.remove();
            } else if (state.offlineSince == null) {
                state.offlineSince = clock.instant();
            }
        }
    }

    /** Marks the node offline (it takes no new runs; its runs count as lost after the grace period) or online. */
    public synchronized void setOnline(String node, boolean online) {
        NodeState state = nodes.get(node);
        if (state != null) {
            state.offlineSince = online ? null : (state.offlineSince == null ? clock.instant() : state.offlineSince);
        }
    }

    @Override
    public synchronized Optional<Placement> reserve(DispatchTemplate template) {
        NodeState best = null;
        for (NodeState state : nodes.values()) {
            if (fits(state, template) && (best == null || state.freeGpus() < best.freeGpus())) {
                best = state;
            }
        }
        return best == null ? Optional.empty() : Optional.of(best.take(template.gpusPerTask()));
    }

    @Override
    public synchronized Optional<Placement> bind(DispatchTemplate template, Placement placement, String node) {
        if (placement.bound()) {
            return Optional.of(placement);
        }
        NodeState state = nodes.get(node);
        if (state == null || !fits(state, template)) {
            return Optional.empty();
        }
        return Optional.of(state.take(template.gpusPerTask()));
    }

    @Override
    public synchronized void release(DispatchTemplate template, Placement placement) {
        if (!placement.bound()) {
            return;
        }
        NodeState state = nodes.get(placement.node());
        if (state != null) {
            state.give(placement);
        }
    }

    @Override
    public synchronized Optional<Instant> offlineSince(String node) {
        NodeState state = nodes.get(node);
        return state == null ? Optional.of(Instant.EPOCH) : Optional.ofNullable(state.offlineSince);
    }

    /** How many more runs of the template the online nodes could take now. */
    public synchronized int freeSlots(DispatchTemplate template) {
        int free = 0;
        for (NodeState state : nodes.values()) {
            if (state.offlineSince == null && labels.matches(template.label(), state.spec)) {
                free += state.freeSlots(template.gpusPerTask());
            }
        }
        return free;
    }

    /** Whether a node matching the template's label is known at all (online or not). */
    public synchronized boolean anyNodeMatches(DispatchTemplate template) {
        return nodes.values().stream().anyMatch(s -> labels.matches(template.label(), s.spec));
    }

    /** Whether the node could take one more run of the template now (free executor and enough free GPUs). */
    public synchronized boolean canTake(String node, DispatchTemplate template) {
        NodeState state = nodes.get(node);
        return state != null && fits(state, template);
    }

    /** A copy of the current state, for status pages and tests. */
    public synchronized List<NodeUsage> usage() {
        List<NodeUsage> out = new ArrayList<>();
        for (NodeState s : nodes.values()) {
            out.add(new NodeUsage(s.spec, s.offlineSince == null, s.runs, List.copyOf(s.busyGpus)));
        }
        return out;
    }

    private boolean fits(NodeState state, DispatchTemplate template) {
        return state.offlineSince == null
                && state.freeSlots(template.gpusPerTask()) > 0
                && labels.matches(template.label(), state.spec);
    }

    /** A node's state for a status page. */
    public record NodeUsage(NodeSpec spec, boolean online, int runs, List<String> busyGpus) {}

    private static final class NodeState {
        NodeSpec spec;
        Instant offlineSince;
        int runs;
        /** By id, not index, so a node whose GPU list changes while runs hold GPUs stays consistent. */
        final Set<String> busyGpus = new LinkedHashSet<>();
        final BitSet busyCpuSlots = new BitSet();

        NodeState(NodeSpec spec) {
            this.spec = spec;
        }

        int freeGpus() {
            int free = 0;
            for (String gpu : spec.gpus()) {
                if (!busyGpus.contains(gpu)) {
                    free++;
                }
            }
            return free;
        }

        int freeSlots(int gpusPerTask) {
            int byExecutors = spec.executors() - runs;
            return gpusPerTask == 0 ? Math.max(0, byExecutors) : Math.max(0, Math.min(byExecutors, freeGpus() / gpusPerTask));
        }

        Placement take(int gpuCount) {
            List<String> gpus = new ArrayList<>(gpuCount);
            for (String gpu : spec.gpus()) {
                if (gpus.size() < gpuCount && busyGpus.add(gpu)) {
                    gpus.add(gpu);
                }
            }
            runs++;
            int cpuSlot = -1;
            if (gpuCount == 0) {
                cpuSlot = busyCpuSlots.nextClearBit(0);
                busyCpuSlots.set(cpuSlot);
            }
            return new Placement(spec.name(), gpus, cpuSlot);
        }

        void give(Placement placement) {
            runs = Math.max(0, runs - 1);
            placement.gpus().forEach(busyGpus::remove);
            if (placement.cpuSlot() >= 0) {
                busyCpuSlots.clear(placement.cpuSlot());
            }
        }
    }
}
