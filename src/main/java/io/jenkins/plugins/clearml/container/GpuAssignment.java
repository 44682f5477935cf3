package io.jenkins.plugins.clearml.container;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The GPUs given to a run, as docker options and variables. A list becomes {@code --gpus "device=0,1"}: the double
 * quotes are part of the argument, because docker parses the value as CSV and {@code device=0,1} unquoted would be two
 * fields. MIG devices {@code 0.1} are written {@code 0:1}. No GPUs, no flag.
 *
 * <p>Inside the container the NVIDIA runtime renumbers the GPUs from 0, so {@code CUDA_VISIBLE_DEVICES} lists
 * container ordinals while {@code NVIDIA_VISIBLE_DEVICES} keeps the host's ids, as the real agent passes them.
 */
public record GpuAssignment(List<String> gpus) {

    public GpuAssignment {
        List<String> cleaned = new ArrayList<>();
        for (String g : gpus == null ? List.<String>of() : gpus) {
            if (g != null && !g.isBlank()) {
                cleaned.add(g.trim().replace('.', ':'));
            }
        }
        gpus = List.copyOf(cleaned);
    }

    private boolean all() {
        return gpus.size() == 1 && gpus.get(0).toLowerCase(Locale.ROOT).equals("all");
    }

    private boolean none() {
        return gpus.isEmpty() || (gpus.size() == 1 && gpus.get(0).toLowerCase(Locale.ROOT).equals("none"));
    }

    /** {@code ["--gpus", "\"device=0,1\""]}, {@code ["--gpus", "all"]}, or nothing. */
    public List<String> dockerOptions() {
        if (none()) {
            return List.of();
        }
        if (all()) {
            return List.of("--gpus", "all");
        }
        return List.of("--gpus", "\"device=" + String.join(",", gpus) + "\"");
    }

    /** The variables the task sees inside the container. */
    public Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        if (none()) {
            return env;
        }
        if (all()) {
            env.put("NVIDIA_VISIBLE_DEVICES", "all");
            return env;
        }
        env.put("NVIDIA_VISIBLE_DEVICES", String.join(",", gpus));
        List<String> ordinals = new ArrayList<>();
        for (int i = 0; i < gpus.size(); i++) {
            ordinals.add(Integer.toString(i));
        }
        env.put("CUDA_VISIBLE_DEVICES", String.join(",", ordinals));
        return env;
    }
}
