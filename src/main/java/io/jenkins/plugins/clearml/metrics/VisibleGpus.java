package io.jenkins.plugins.clearml.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The GPUs given to a run, as {@code NVIDIA_VISIBLE_DEVICES} (or {@code CUDA_VISIBLE_DEVICES}) names them:
 * unset, empty, {@code all} or {@code void}: every GPU; {@code none}: no GPU; otherwise a comma-separated list of
 * indexes and UUIDs. Filters as the ClearML agent and SDK do: a list that matches no GPU at all (for example
 * MIG UUIDs, which the query does not return) reports every GPU rather than none.
 */
public final class VisibleGpus {

    private static final VisibleGpus ALL = new VisibleGpus(null, false);
    private static final VisibleGpus NONE = new VisibleGpus(List.of(), true);

    private final List<String> names; // null: all
    private final boolean none;

    private VisibleGpus(List<String> names, boolean none) {
        this.names = names;
        this.none = none;
    }

    public static VisibleGpus all() {
        return ALL;
    }

    public static VisibleGpus none() {
        return NONE;
    }

    /** Parses a visible-devices value; null or blank means all. */
    public static VisibleGpus parse(String value) {
        if (value == null || value.isBlank()) {
            return ALL;
        }
        String v = value.trim();
        if (v.equals("all") || v.equals("void")) {
            return ALL;
        }
        if (v.equals("none")) {
            return NONE;
        }
        List<String> names = new ArrayList<>();
        Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).forEach(names::add);
        return names.isEmpty() ? ALL : new VisibleGpus(List.copyOf(names), false);
    }

    /** From a run's environment: {@code NVIDIA_VISIBLE_DEVICES}, else {@code CUDA_VISIBLE_DEVICES}, else all. */
    public static VisibleGpus fromEnvironment(Map<String, String> env) {
        String nvidia = env.get("NVIDIA_VISIBLE_DEVICES");
        return parse(nvidia != null && !nvidia.isBlank() ? nvidia : env.get("CUDA_VISIBLE_DEVICES"));
    }

    public boolean isNone() {
        return none;
    }

    /** The readings of the visible GPUs, ordered by index. */
    public List<GpuReading> filter(List<GpuReading> readings) {
        if (none) {
            return List.of();
        }
        List<GpuReading> sorted = new ArrayList<>(readings);
        sorted.sort((a, b) -> Integer.compare(a.index(), b.index()));
        if (names == null) {
            return List.copyOf(sorted);
        }
        List<GpuReading> kept = sorted.stream().filter(this::visible).toList();
        return kept.isEmpty() ? List.copyOf(sorted) : kept;
    }

    private boolean visible(GpuReading g) {
        return names.contains(Integer.toString(g.index())) || (g.uuid() != null && names.contains(g.uuid()));
    }

    @Override
    public String toString() {
        return none ? "none" : names == null ? "all" : String.join(",", names);
    }
}
