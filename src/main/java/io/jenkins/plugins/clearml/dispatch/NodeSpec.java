package io.jenkins.plugins.clearml.dispatch;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A machine runs can be placed on.
 *
 * @param name      the host or Jenkins node name; the prefix of its runs' worker ids
 * @param labels    its labels (matched against a template's label expression)
 * @param executors how many runs it takes at once
 * @param gpus      its GPU indices ({@code "0"}, {@code "1"}, MIG {@code "0:1"}), from configuration or detection
 */
public record NodeSpec(String name, Set<String> labels, int executors, List<String> gpus) {

    public NodeSpec {
        Objects.requireNonNull(name, "name");
        labels = Set.copyOf(labels);
        gpus = List.copyOf(gpus);
        if (executors < 0) {
            throw new IllegalArgumentException("node " + name + ": executors must be 0 or more");
        }
        if (Set.copyOf(gpus).size() != gpus.size()) {
            throw new IllegalArgumentException("node " + name + ": GPU list " + gpus + " names a GPU twice");
        }
    }
}
