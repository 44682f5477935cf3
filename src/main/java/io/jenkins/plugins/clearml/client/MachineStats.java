package io.jenkins.plugins.clearml.client;

import java.util.List;

/**
 * {@code machine_stats} of {@code workers.status_report}, with the server's field names and units: percentages,
 * MB, MB/s. Any field may be null (not measured). Lists hold one value per GPU, ordered by index;
 * {@code cpuUsage} holds one averaged value, as the real agent sends it.
 */
public record MachineStats(
        List<Double> cpuUsage,
        List<Double> cpuTemperature,
        Double memoryUsed,
        Double memoryFree,
        Double diskFreeHome,
        Double diskFreeTemp,
        Double diskRead,
        Double diskWrite,
        Double networkRx,
        Double networkTx,
        List<Double> gpuUsage,
        List<Double> gpuTemperature,
        List<Double> gpuMemoryUsed,
        List<Double> gpuMemoryFree) {
}
