package io.jenkins.plugins.clearml.dispatch;

import java.util.List;

/**
 * Where one run goes: a node and the GPUs reserved for it there. {@code node} is null while the run waits for a
 * node that is not chosen yet (the Jenkins queue picks it), in which case nothing is reserved yet.
 *
 * @param cpuSlot for runs without GPUs, the lowest free slot number on the node (worker id {@code host:cpu:N})
 */
public record Placement(String node, List<String> gpus, int cpuSlot) {

    public Placement {
        gpus = List.copyOf(gpus);
    }

    public static Placement unbound() {
        return new Placement(null, List.of(), -1);
    }

    public boolean bound() {
        return node != null;
    }

    /**
     * The worker id the run reports as, built like the real agent's: {@code host:gpu0,1} for GPUs (unique on a
     * node because two runs never share a GPU), {@code host:cpu:N} without.
     */
    public String workerId() {
        if (!bound()) {
            throw new IllegalStateException("no node chosen yet");
        }
        if (!gpus.isEmpty()) {
            return node + ":gpu" + String.join(",", gpus).replace(':', '.');
        }
        return node + ":cpu:" + cpuSlot;
    }
}
