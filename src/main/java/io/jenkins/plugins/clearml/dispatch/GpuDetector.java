package io.jenkins.plugins.clearml.dispatch;

import io.jenkins.plugins.clearml.node.NodeProcesses;
import io.jenkins.plugins.clearml.node.ProcessResult;
import io.jenkins.plugins.clearml.node.ProcessSpec;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Finds a node's GPUs with {@code nvidia-smi}; a node without it (or without GPUs) has none. */
public final class GpuDetector {

    private GpuDetector() {}

    /** The GPU indices ({@code ["0","1",…]}); empty when nvidia-smi is missing or fails. */
    public static List<String> detect(NodeProcesses processes) throws InterruptedException {
        try {
            ProcessResult r = processes.run(ProcessSpec.of("nvidia-smi", "--query-gpu=index", "--format=csv,noheader"));
            return r.succeeded() ? parse(r.output()) : List.of();
        } catch (IOException e) {
            return List.of();
        }
    }

    static List<String> parse(String output) {
        List<String> gpus = new ArrayList<>();
        for (String line : output.split("\n")) {
            String s = line.trim();
            if (s.matches("\\d+")) {
                gpus.add(s);
            }
        }
        return gpus;
    }

    /**
     * Parses a GPU list as {@code --gpus} takes it: {@code 0,1,2}, ranges {@code 0-3}, MIG {@code 0:1}.
     *
     * @throws IllegalArgumentException naming the bad entry
     */
    public static List<String> parseList(String spec) {
        List<String> gpus = new ArrayList<>();
        if (spec == null || spec.isBlank()) {
            return gpus;
        }
        for (String part : spec.split(",")) {
            String p = part.trim();
            if (p.matches("\\d+-\\d+")) {
                int from = Integer.parseInt(p.substring(0, p.indexOf('-')));
                int to = Integer.parseInt(p.substring(p.indexOf('-') + 1));
                if (to < from) {
                    throw new IllegalArgumentException("GPU range '" + p + "' ends before it starts.");
                }
                for (int i = from; i <= to; i++) {
                    gpus.add(Integer.toString(i));
                }
            } else if (p.matches("\\d+(:\\d+)?")) {
                gpus.add(p);
            } else {
                throw new IllegalArgumentException("'" + p + "' is not a GPU index: write e.g. 0,1 or 0-3 or 0:1 (MIG).");
            }
        }
        return gpus;
    }
}
