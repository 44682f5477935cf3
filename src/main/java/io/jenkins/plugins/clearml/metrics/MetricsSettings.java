package io.jenkins.plugins.clearml.metrics;

import java.time.Duration;
import java.util.Objects;

/**
 * How the node is watched during a task.
 *
 * @param samplePeriod      time between two samples (the ClearML agent samples every 0.5 s; 1 s halves the cost
 *                          and changes no average that matters)
 * @param reportPeriod      time between two reports of the task's {@code :monitor:*} scalars (SDK default 30 s)
 * @param taskScalars       whether to write the {@code :monitor:machine} and {@code :monitor:gpu} scalars of the
 *                          task; switch it off where the task's own ClearML SDK already reports them
 * @param gpuBackend        {@code auto} (NVML where the JVM runs on the node, else nvidia-smi), {@code nvml},
 *                          {@code nvidia-smi} or {@code none}
 * @param nvidiaSmi         the nvidia-smi program on the node (name looked up on the node's PATH, or a path)
 * @param diskPath          the folder whose volume's free space is reported (the workspace); null: the node's home
 * @param defaultGpuUtilization what to report as the utilisation of a GPU whose driver gives none (MIG), as the
 *                          agent's {@code agent.resource_monitoring.default_gpu_utilization}; null: leave it out
 */
public record MetricsSettings(
        Duration samplePeriod,
        Duration reportPeriod,
        boolean taskScalars,
        String gpuBackend,
        String nvidiaSmi,
        String diskPath,
        Double defaultGpuUtilization) {

    public MetricsSettings {
        Objects.requireNonNull(samplePeriod, "samplePeriod");
        Objects.requireNonNull(reportPeriod, "reportPeriod");
        if (samplePeriod.toMillis() < 100) {
            throw new IllegalArgumentException("metrics sample period must be at least 100 ms, was " + samplePeriod);
        }
        if (reportPeriod.compareTo(samplePeriod) < 0) {
            throw new IllegalArgumentException("metrics report period (" + reportPeriod
                    + ") must not be shorter than the sample period (" + samplePeriod + ")");
        }
        gpuBackend = gpuBackend == null || gpuBackend.isBlank() ? "auto" : gpuBackend.trim();
        if (!java.util.List.of("auto", "nvml", "nvidia-smi", "none").contains(gpuBackend)) {
            throw new IllegalArgumentException("metrics GPU backend must be auto, nvml, nvidia-smi or none, was '"
                    + gpuBackend + "'");
        }
        nvidiaSmi = nvidiaSmi == null || nvidiaSmi.isBlank() ? "nvidia-smi" : nvidiaSmi;
    }

    /** 1 s samples, 30 s reports, task scalars on, GPUs found automatically, disk of the home folder. */
    public static MetricsSettings defaults() {
        return new MetricsSettings(Duration.ofSeconds(1), Duration.ofSeconds(30), true, "auto", "nvidia-smi", null,
                100.0);
    }

    public MetricsSettings withDiskPath(String path) {
        return new MetricsSettings(samplePeriod, reportPeriod, taskScalars, gpuBackend, nvidiaSmi, path,
                defaultGpuUtilization);
    }

    public MetricsSettings withPeriods(Duration sample, Duration report) {
        return new MetricsSettings(sample, report, taskScalars, gpuBackend, nvidiaSmi, diskPath, defaultGpuUtilization);
    }

    public MetricsSettings withTaskScalars(boolean on) {
        return new MetricsSettings(samplePeriod, reportPeriod, on, gpuBackend, nvidiaSmi, diskPath,
                defaultGpuUtilization);
    }

    public MetricsSettings withGpuBackend(String backend) {
        return new MetricsSettings(samplePeriod, reportPeriod, taskScalars, backend, nvidiaSmi, diskPath,
                defaultGpuUtilization);
    }
}
