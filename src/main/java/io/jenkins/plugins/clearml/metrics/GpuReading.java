package io.jenkins.plugins.clearml.metrics;

/**
 * One reading of one GPU, in nvidia-smi's units. A field the driver cannot give ({@code [N/A]},
 * {@code [Not Supported]}) is null.
 *
 * @param index          the GPU's index as nvidia-smi and NVML number it (physical, not relative to a visible set)
 * @param uuid           {@code GPU-...}, or null if unknown
 * @param utilization    percent of time a kernel was running
 * @param memoryUsedMiB  MiB
 * @param memoryTotalMiB MiB
 * @param temperatureC   degrees Celsius
 * @param powerWatts     W
 * @param fanPercent     percent of the fan's maximum speed (datacenter GPUs have none)
 */
public record GpuReading(
        int index,
        String uuid,
        Double utilization,
        Double memoryUsedMiB,
        Double memoryTotalMiB,
        Double temperatureC,
        Double powerWatts,
        Double fanPercent) {

    /** MiB free, or null if either figure is missing. */
    public Double memoryFreeMiB() {
        return memoryUsedMiB == null || memoryTotalMiB == null ? null : memoryTotalMiB - memoryUsedMiB;
    }

    /** Memory used in percent of the total, or null. */
    public Double memoryUsedPercent() {
        return memoryUsedMiB == null || memoryTotalMiB == null || memoryTotalMiB == 0
                ? null : 100.0 * memoryUsedMiB / memoryTotalMiB;
    }
}
