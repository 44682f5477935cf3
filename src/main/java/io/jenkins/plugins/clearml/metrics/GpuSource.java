package io.jenkins.plugins.clearml.metrics;

import java.util.List;

/** Where GPU readings come from: NVML, a long-running nvidia-smi, or nowhere. */
public interface GpuSource extends AutoCloseable {

    /** A node without NVIDIA GPUs (or with GPU monitoring off). */
    GpuSource NONE = new GpuSource() {
        @Override
        public List<GpuReading> read() {
            return List.of();
        }

        @Override
        public String name() {
            return "none";
        }

        @Override
        public void close() {
        }
    };

    /** The latest reading of every GPU of the node (all of them: the caller filters the visible set). */
    List<GpuReading> read() throws InterruptedException;

    /** {@code nvml}, {@code nvidia-smi} or {@code none}, for logs and the command line. */
    String name();

    /** Releases the library or stops the process; never throws. */
    @Override
    void close();
}
