package io.jenkins.plugins.clearml.metrics;

import io.jenkins.plugins.clearml.client.MachineStats;
import io.jenkins.plugins.clearml.client.ScalarEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Averages the samples of one report window, and turns the averages into what ClearML receives: the
 * {@code machine_stats} of {@code workers.status_report} (as the agent's {@code resource_monitor.py} sends them)
 * and the task's {@code :monitor:machine} / {@code :monitor:gpu} scalars (as the SDK's resource monitor writes
 * them). Every figure is averaged over the samples that had it, then rounded to 3 decimals, as both do.
 * Not thread-safe; the caller synchronises.
 */
public final class StatsWindow {

    static final double MIB = 1024.0 * 1024.0;
    static final double GIB = MIB * 1024.0;

    private final Mean cpu = new Mean();
    private final Mean cpuTemp = new Mean();
    private final Mean memUsed = new Mean();
    private final Mean memFree = new Mean();
    private final Mean diskFree = new Mean();
    private final Mean tempFree = new Mean();
    private final Mean diskRead = new Mean();
    private final Mean diskWrite = new Mean();
    private final Mean netRx = new Mean();
    private final Mean netTx = new Mean();
    private final Map<Integer, GpuMeans> gpus = new TreeMap<>();
    private final Double defaultGpuUtilization;
    private int samples;

    /** @param defaultGpuUtilization reported for a GPU whose driver gives no utilisation (MIG); null: leave out */
    public StatsWindow(Double defaultGpuUtilization) {
        this.defaultGpuUtilization = defaultGpuUtilization;
    }

    private static final class Mean {
        double sum;
        int n;

        void add(Double v) {
            if (v != null && Double.isFinite(v)) {
                sum += v;
                n++;
            }
        }

        void add(Long v) {
            if (v != null) {
                add(v.doubleValue());
            }
        }

        Double value() {
            return n == 0 ? null : round3(sum / n);
        }

        Double scaled(double divisor) {
            return n == 0 ? null : round3(sum / n / divisor);
        }
    }

    private static final class GpuMeans {
        final Mean util = new Mean();
        final Mean temp = new Mean();
        final Mean memUsed = new Mean();
        final Mean memFree = new Mean();
        final Mean memUsage = new Mean();
        final Mean power = new Mean();
    }

    static double round3(double v) {
        return Math.round(v * 1000.0) / 1000.0;
    }

    public void add(NodeSample s) {
        samples++;
        cpu.add(s.cpuUsage());
        cpuTemp.add(s.cpuTemperature());
        memUsed.add(s.memoryUsedBytes());
        memFree.add(s.memoryAvailableBytes());
        diskFree.add(s.diskFreePercent());
        tempFree.add(s.tempFreePercent());
        diskRead.add(s.diskReadBytesPerSecond());
        diskWrite.add(s.diskWriteBytesPerSecond());
        netRx.add(s.networkRxBytesPerSecond());
        netTx.add(s.networkTxBytesPerSecond());
        for (GpuReading g : s.gpus()) {
            GpuMeans m = gpus.computeIfAbsent(g.index(), i -> new GpuMeans());
            m.util.add(g.utilization() != null ? g.utilization() : defaultGpuUtilization);
            m.temp.add(g.temperatureC());
            m.memUsed.add(g.memoryUsedMiB());
            m.memFree.add(g.memoryFreeMiB());
            m.memUsage.add(g.memoryUsedPercent());
            m.power.add(g.powerWatts());
        }
    }

    public int size() {
        return samples;
    }

    public boolean isEmpty() {
        return samples == 0;
    }

    public void clear() {
        for (Mean m : List.of(cpu, cpuTemp, memUsed, memFree, diskFree, tempFree, diskRead, diskWrite, netRx, netTx)) {
            m.sum = 0;
            m.n = 0;
        }
        gpus.clear();
        samples = 0;
    }

    /**
     * {@code machine_stats}: {@code cpu_usage} one averaged value, memory in MB (MiB, as the agent divides by
     * 1024²), disk and network rates in MB/s, free disk in percent, per-GPU lists ordered by GPU index; null if
     * the window has no sample.
     */
    public MachineStats machineStats() {
        if (samples == 0) {
            return null;
        }
        return new MachineStats(
                listOf(cpu.value()),
                listOf(cpuTemp.value()),
                memUsed.scaled(MIB),
                memFree.scaled(MIB),
                diskFree.value(),
                tempFree.value(),
                diskRead.scaled(MIB),
                diskWrite.scaled(MIB),
                netRx.scaled(MIB),
                netTx.scaled(MIB),
                gpuList(m -> m.util),
                gpuList(m -> m.temp),
                gpuList(m -> m.memUsed),
                gpuList(m -> m.memFree));
    }

    private static List<Double> listOf(Double v) {
        return v == null ? null : List.of(v);
    }

    private List<Double> gpuList(java.util.function.Function<GpuMeans, Mean> field) {
        if (gpus.isEmpty()) {
            return null;
        }
        List<Double> values = new ArrayList<>();
        for (GpuMeans m : gpus.values()) {
            Double v = field.apply(m).value();
            if (v == null) {
                return null; // a list must give one value per GPU, in order: a gap would shift the others
            }
            values.add(v);
        }
        return values;
    }

    /**
     * The task scalars the SDK's resource monitor would write for this window, at {@code iteration} (the SDK uses
     * seconds since the monitor started when the task reports no iterations of its own).
     */
    public List<ScalarEvent> sdkScalars(String taskId, long iteration, long timestampMillis) {
        List<ScalarEvent> events = new ArrayList<>();
        if (samples == 0) {
            return events;
        }
        String machine = SdkMonitorNames.MACHINE;
        add(events, taskId, machine, SdkMonitorNames.CPU_USAGE, cpu.value(), iteration, timestampMillis);
        add(events, taskId, machine, SdkMonitorNames.MEMORY_USED_GB, memUsed.scaled(GIB), iteration, timestampMillis);
        add(events, taskId, machine, SdkMonitorNames.MEMORY_FREE_GB, memFree.scaled(GIB), iteration, timestampMillis);
        add(events, taskId, machine, SdkMonitorNames.DISK_FREE_PERCENT, diskFree.value(), iteration, timestampMillis);
        add(events, taskId, machine, SdkMonitorNames.CPU_TEMPERATURE, cpuTemp.value(), iteration, timestampMillis);
        add(events, taskId, machine, SdkMonitorNames.NETWORK_TX_MBS, netTx.scaled(MIB), iteration, timestampMillis);
        add(events, taskId, machine, SdkMonitorNames.NETWORK_RX_MBS, netRx.scaled(MIB), iteration, timestampMillis);
        add(events, taskId, machine, SdkMonitorNames.IO_READ_MBS, diskRead.scaled(MIB), iteration, timestampMillis);
        add(events, taskId, machine, SdkMonitorNames.IO_WRITE_MBS, diskWrite.scaled(MIB), iteration, timestampMillis);
        String gpu = SdkMonitorNames.GPU;
        for (Map.Entry<Integer, GpuMeans> e : gpus.entrySet()) {
            int i = e.getKey();
            GpuMeans m = e.getValue();
            add(events, taskId, gpu, SdkMonitorNames.gpu(i, SdkMonitorNames.GPU_TEMPERATURE), m.temp.value(),
                    iteration, timestampMillis);
            add(events, taskId, gpu, SdkMonitorNames.gpu(i, SdkMonitorNames.GPU_UTILIZATION), m.util.value(),
                    iteration, timestampMillis);
            add(events, taskId, gpu, SdkMonitorNames.gpu(i, SdkMonitorNames.GPU_MEM_USED_GB),
                    m.memUsed.scaled(1024.0), iteration, timestampMillis);
            add(events, taskId, gpu, SdkMonitorNames.gpu(i, SdkMonitorNames.GPU_MEM_USAGE), m.memUsage.value(),
                    iteration, timestampMillis);
            add(events, taskId, gpu, SdkMonitorNames.gpu(i, SdkMonitorNames.GPU_MEM_FREE_GB),
                    m.memFree.scaled(1024.0), iteration, timestampMillis);
            add(events, taskId, gpu, SdkMonitorNames.gpu(i, SdkMonitorNames.GPU_POWER_DRAW), m.power.value(),
                    iteration, timestampMillis);
        }
        return events;
    }

    private static void add(List<ScalarEvent> events, String task, String metric, String variant, Double value,
            long iteration, long ts) {
        if (value != null) {
            events.add(new ScalarEvent(task, metric, variant, value, iteration, ts));
        }
    }
}
