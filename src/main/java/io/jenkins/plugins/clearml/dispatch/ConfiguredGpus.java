package io.jenkins.plugins.clearml.dispatch;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * A node's GPUs as configured instead of detected: a list as {@code --gpus} takes it ({@code 0,1,2,3},
 * {@code 0-3}, MIG {@code 0:1}), {@code none} for a node without GPUs, or blank to detect them with
 * {@code nvidia-smi}.
 */
public final class ConfiguredGpus {

    private ConfiguredGpus() {}

    /**
     * The configured GPUs; empty when {@code value} is blank (detect them).
     *
     * @throws IllegalArgumentException naming the bad entry and what to write instead
     */
    public static Optional<List<String>> parse(String value) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        String v = value.trim();
        if (v.toLowerCase(Locale.ROOT).equals("none")) {
            return Optional.of(List.of());
        }
        List<String> gpus;
        try {
            gpus = GpuDetector.parseList(v);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + " Or 'none' for a node without GPUs, or leave it "
                    + "empty to detect them with nvidia-smi.");
        }
        Set<String> seen = new LinkedHashSet<>();
        for (String gpu : gpus) {
            if (!seen.add(gpu)) {
                throw new IllegalArgumentException("GPU " + gpu + " is listed twice in '" + v + "': list each GPU once.");
            }
        }
        return Optional.of(List.copyOf(gpus));
    }

    /** What is wrong with {@code value}, for the form; empty when it is fine. */
    public static Optional<String> problem(String value) {
        try {
            parse(value);
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
    }
}
