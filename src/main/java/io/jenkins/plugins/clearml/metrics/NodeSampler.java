package io.jenkins.plugins.clearml.metrics;

import io.jenkins.plugins.clearml.node.LocalNode;
import io.jenkins.plugins.clearml.node.NodeAccess;
import java.time.Duration;
import java.util.logging.Logger;

/**
 * Samples one node: Linux figures from {@code /proc} and {@code /sys} through the node's file port, GPUs through
 * NVML when this JVM runs on the node, else through one long-running nvidia-smi started through the node's process
 * port, else none. GPUs are filtered to the visible set given to the run. Close it to stop nvidia-smi.
 */
public final class NodeSampler implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(NodeSampler.class.getName());
    private static final Duration FIRST_GPU_READING = Duration.ofSeconds(5);

    private final LinuxSampler linux;
    private final GpuSource gpus;
    private final VisibleGpus visible;

    NodeSampler(LinuxSampler linux, GpuSource gpus, VisibleGpus visible) {
        this.linux = linux;
        this.gpus = gpus;
        this.visible = visible;
    }

    /**
     * Opens a sampler for the node; never fails for want of GPUs. NVML is used only when the node's file port is
     * this JVM's own ({@link LocalNode}), since a library loaded here would read this machine's GPUs.
     */
    public static NodeSampler open(NodeAccess node, MetricsSettings settings, VisibleGpus visible)
            throws InterruptedException {
        boolean jvmOnNode = node.files() == LocalNode.get();
        return open(node, settings, visible, jvmOnNode, "nvidia-ml");
    }

    static NodeSampler open(NodeAccess node, MetricsSettings settings, VisibleGpus visible, boolean jvmOnNode,
            String nvmlLibrary) throws InterruptedException {
        String diskPath = settings.diskPath() != null ? settings.diskPath() : node.files().home();
        LinuxSampler linux = LinuxSampler.open(node, diskPath);
        GpuSource gpus = visible.isNone() ? GpuSource.NONE : gpuSource(node, settings, jvmOnNode, nvmlLibrary);
        LOG.fine(() -> "GPU readings from " + gpus.name() + ", visible GPUs: " + visible);
        return new NodeSampler(linux, gpus, visible);
    }

    private static GpuSource gpuSource(NodeAccess node, MetricsSettings settings, boolean jvmOnNode,
            String nvmlLibrary) throws InterruptedException {
        String backend = settings.gpuBackend();
        if (backend.equals("none")) {
            return GpuSource.NONE;
        }
        if (jvmOnNode && (backend.equals("auto") || backend.equals("nvml"))) {
            NvmlGpuSource nvml = NvmlGpuSource.open(nvmlLibrary);
            if (nvml != null) {
                return nvml;
            }
        }
        if (backend.equals("auto") || backend.equals("nvidia-smi")) {
            NvidiaSmiGpuSource smi = new NvidiaSmiGpuSource(node.processes(), settings.samplePeriod(),
                    settings.nvidiaSmi());
            if (smi.start(FIRST_GPU_READING)) {
                return smi;
            }
        }
        return GpuSource.NONE;
    }

    /** {@code nvml}, {@code nvidia-smi} or {@code none}. */
    public String gpuSourceName() {
        return gpus.name();
    }

    /** One sample; rates are over the time since the previous one (or since {@link #open}). */
    public NodeSample sample() throws InterruptedException {
        return linux.sample().withGpus(visible.filter(gpus.read()));
    }

    @Override
    public void close() {
        gpus.close();
    }
}
