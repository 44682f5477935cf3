package io.jenkins.plugins.clearml.metrics;

/**
 * Metric ("title") and variant ("series") names under which the ClearML SDK's resource monitor reports machine
 * figures, so that the task's Scalars tab looks as if the SDK had reported them. Read from the SDK's source,
 * {@code clearml/utilities/resource_monitor.py} in github.com/clearml/clearml (commit 26c98293):
 * {@code _title_machine = ":monitor:machine"}, {@code _title_gpu = ":monitor:gpu"}; {@code _machine_stats()} gives
 * {@code cpu_usage} (mean of per-core percent), {@code memory_used_gb} and {@code memory_free_gb} (GiB: bytes /
 * 1024³; free is psutil's "available"), {@code disk_free_percent} (home folder), {@code cpu_temperature} (max
 * coretemp), and the cumulative counters {@code network_tx_mbs}, {@code network_rx_mbs}, {@code io_read_mbs},
 * {@code io_write_mbs}, which {@code _update_readouts()} turns into MiB/s; {@code _get_gpu_stats()} gives, per GPU
 * numbered by its index, {@code gpu_%d_temperature} (°C), {@code gpu_%d_utilization} (%),
 * {@code gpu_%d_mem_used_gb} (memory.used MiB / 1024), {@code gpu_%d_mem_usage} (% used),
 * {@code gpu_%d_mem_free_gb} ((total - used) MiB / 1024) and {@code gpu_%d_power_draw} (W). Metrics whose name
 * starts with {@code gpu_} go under {@code :monitor:gpu}, the others under {@code :monitor:machine}; each value
 * is the mean of the report window rounded to 3 decimals.
 * One difference: the SDK's {@code memory_used_gb} is by default the memory of the task's own process tree;
 * the plugin reports the machine's used memory (the SDK's figure with per-process reporting off).
 */
public final class SdkMonitorNames {

    public static final String MACHINE = ":monitor:machine";
    public static final String GPU = ":monitor:gpu";

    public static final String CPU_USAGE = "cpu_usage";
    public static final String MEMORY_USED_GB = "memory_used_gb";
    public static final String MEMORY_FREE_GB = "memory_free_gb";
    public static final String DISK_FREE_PERCENT = "disk_free_percent";
    public static final String CPU_TEMPERATURE = "cpu_temperature";
    public static final String NETWORK_TX_MBS = "network_tx_mbs";
    public static final String NETWORK_RX_MBS = "network_rx_mbs";
    public static final String IO_READ_MBS = "io_read_mbs";
    public static final String IO_WRITE_MBS = "io_write_mbs";

    public static final String GPU_TEMPERATURE = "temperature";
    public static final String GPU_UTILIZATION = "utilization";
    public static final String GPU_MEM_USED_GB = "mem_used_gb";
    public static final String GPU_MEM_USAGE = "mem_usage";
    public static final String GPU_MEM_FREE_GB = "mem_free_gb";
    public static final String GPU_POWER_DRAW = "power_draw";

    private SdkMonitorNames() {
    }

    /** {@code gpu_<index>_<what>}. */
    public static String gpu(int index, String what) {
        return "gpu_" + index + "_" + what;
    }
}
