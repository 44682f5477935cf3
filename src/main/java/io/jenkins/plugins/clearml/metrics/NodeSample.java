package io.jenkins.plugins.clearml.metrics;

import java.util.List;

/**
 * One sample of a node: rates are over the time since the previous sample, sizes are in bytes. Any figure the
 * node cannot give is null (rates and CPU usage are null in the first sample, which has nothing to compare to).
 *
 * @param timestampMillis          when the sample was taken, epoch milliseconds
 * @param cpuUsage                 mean of the per-core usages, percent (what ClearML calls {@code cpu_usage})
 * @param cpuPerCore               usage of each core, percent, in {@code /proc/stat} order
 * @param cpuTemperature           hottest {@code coretemp} sensor, degrees Celsius
 * @param loadAverage              1, 5 and 15 minute load averages
 * @param memoryTotalBytes         {@code MemTotal}
 * @param memoryUsedBytes          total - free - buffers - cache, as psutil (and so the ClearML agent) computes it
 * @param memoryAvailableBytes     {@code MemAvailable}: what ClearML reports as free memory
 * @param diskReadBytesPerSecond   all block devices together
 * @param diskWriteBytesPerSecond  all block devices together
 * @param diskPath                 the folder whose volume is watched (the workspace or home)
 * @param diskFreeBytes            free for the agent's user on that volume
 * @param diskFreePercent          percent free on that volume, as psutil computes it (reserved blocks count as used)
 * @param tempFreePercent          percent free on the volume of the node's temporary folder
 * @param networkRxBytesPerSecond  all interfaces together
 * @param networkTxBytesPerSecond  all interfaces together
 * @param gpus                     the visible GPUs, ordered by index
 */
public record NodeSample(
        long timestampMillis,
        Double cpuUsage,
        List<Double> cpuPerCore,
        Double cpuTemperature,
        List<Double> loadAverage,
        Long memoryTotalBytes,
        Long memoryUsedBytes,
        Long memoryAvailableBytes,
        Double diskReadBytesPerSecond,
        Double diskWriteBytesPerSecond,
        String diskPath,
        Long diskFreeBytes,
        Double diskFreePercent,
        Double tempFreePercent,
        Double networkRxBytesPerSecond,
        Double networkTxBytesPerSecond,
        List<GpuReading> gpus) {

    public NodeSample {
        cpuPerCore = cpuPerCore == null ? List.of() : List.copyOf(cpuPerCore);
        loadAverage = loadAverage == null ? List.of() : List.copyOf(loadAverage);
        gpus = gpus == null ? List.of() : List.copyOf(gpus);
    }

    NodeSample withGpus(List<GpuReading> readings) {
        return new NodeSample(timestampMillis, cpuUsage, cpuPerCore, cpuTemperature, loadAverage, memoryTotalBytes,
                memoryUsedBytes, memoryAvailableBytes, diskReadBytesPerSecond, diskWriteBytesPerSecond, diskPath,
                diskFreeBytes, diskFreePercent, tempFreePercent, networkRxBytesPerSecond, networkTxBytesPerSecond,
                readings);
    }
}
