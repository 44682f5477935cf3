package io.jenkins.plugins.clearml.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.jenkins.plugins.clearml.client.MachineStats;
import io.jenkins.plugins.clearml.metrics.GpuReading;
import io.jenkins.plugins.clearml.metrics.MetricsSettings;
import io.jenkins.plugins.clearml.metrics.NodeSample;
import io.jenkins.plugins.clearml.metrics.NodeSampler;
import io.jenkins.plugins.clearml.metrics.StatsWindow;
import io.jenkins.plugins.clearml.metrics.VisibleGpus;
import io.jenkins.plugins.clearml.node.NodeAccess;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code node-stats}: one sample of this machine, as the agent would put it in {@code workers.status_report}
 * {@code machine_stats} (same field names and units), with the details ClearML does not keep (per core, load,
 * per GPU power and fan).
 */
@Command(name = "node-stats", mixinStandardHelpOptions = true,
        description = "Prints one sample of this machine's CPU, memory, disk, network and GPUs, with the field names "
                + "and units of ClearML's machine_stats (MB, MB/s, percent).")
public final class NodeStatsCommand implements Callable<Integer> {

    @Option(names = "--json", description = "Print JSON instead of text.")
    boolean json;

    @Option(names = "--interval", defaultValue = "1000", paramLabel = "MS",
            description = "Milliseconds between the two readings that rates and CPU usage are computed from "
                    + "(default: ${DEFAULT-VALUE}).")
    long intervalMillis;

    @Option(names = "--disk-path", paramLabel = "DIR",
            description = "Folder whose volume's free space is reported as disk_free_home (default: home).")
    String diskPath;

    @Option(names = "--gpus", paramLabel = "LIST",
            description = "Visible GPUs, as NVIDIA_VISIBLE_DEVICES: all, none, or indexes/UUIDs "
                    + "(default: NVIDIA_VISIBLE_DEVICES or CUDA_VISIBLE_DEVICES, else all).")
    String gpus;

    @Option(names = "--gpu-backend", defaultValue = "auto", paramLabel = "NAME",
            description = "auto, nvml, nvidia-smi or none (default: ${DEFAULT-VALUE}).")
    String gpuBackend;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (intervalMillis < 100 || intervalMillis > 60_000) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--interval must be between 100 and 60000 milliseconds, was " + intervalMillis);
        }
        MetricsSettings settings;
        try {
            settings = MetricsSettings.defaults().withGpuBackend(gpuBackend).withDiskPath(diskPath);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        NodeAccess node = NodeAccess.local();
        VisibleGpus visible = gpus != null ? VisibleGpus.parse(gpus) : VisibleGpus.fromEnvironment(System.getenv());
        NodeSample sample;
        String source;
        try (NodeSampler sampler = NodeSampler.open(node, settings, visible)) {
            Thread.sleep(intervalMillis);
            sample = sampler.sample();
            source = sampler.gpuSourceName();
        }
        StatsWindow window = new StatsWindow(settings.defaultGpuUtilization());
        window.add(sample);
        Map<String, Object> out = describe(window.machineStats(), sample, source);
        PrintWriter w = spec.commandLine().getOut();
        if (json) {
            w.println(toJson(out));
        } else {
            out.forEach((k, v) -> w.println(k + ": " + text(v)));
        }
        w.flush();
        return 0;
    }

    /** machine_stats fields first, under their API names, then the details. */
    static Map<String, Object> describe(MachineStats m, NodeSample s, String gpuSource) {
        Map<String, Object> out = new LinkedHashMap<>();
        put(out, "cpu_usage", m.cpuUsage());
        put(out, "cpu_temperature", m.cpuTemperature());
        put(out, "memory_used", m.memoryUsed());
        put(out, "memory_free", m.memoryFree());
        put(out, "disk_free_home", m.diskFreeHome());
        put(out, "disk_free_temp", m.diskFreeTemp());
        put(out, "disk_read", m.diskRead());
        put(out, "disk_write", m.diskWrite());
        put(out, "network_rx", m.networkRx());
        put(out, "network_tx", m.networkTx());
        put(out, "gpu_usage", m.gpuUsage());
        put(out, "gpu_temperature", m.gpuTemperature());
        put(out, "gpu_memory_used", m.gpuMemoryUsed());
        put(out, "gpu_memory_free", m.gpuMemoryFree());
        // details that machine_stats does not carry
        put(out, "cpu_usage_per_core", s.cpuPerCore().stream().map(NodeStatsCommand::round1).toList());
        put(out, "load_average", s.loadAverage());
        put(out, "memory_total", s.memoryTotalBytes() == null ? null : round1(s.memoryTotalBytes() / 1048576.0));
        put(out, "disk_path", s.diskPath());
        put(out, "disk_free_home_bytes", s.diskFreeBytes());
        out.put("gpu_source", gpuSource);
        List<GpuReading> gpus = s.gpus();
        if (!gpus.isEmpty()) {
            out.put("gpu_index", gpus.stream().map(GpuReading::index).toList());
            out.put("gpu_uuid", gpus.stream().map(GpuReading::uuid).toList());
            put(out, "gpu_memory_total", column(gpus, GpuReading::memoryTotalMiB));
            put(out, "gpu_power_draw", column(gpus, GpuReading::powerWatts));
            put(out, "gpu_fan_speed", column(gpus, GpuReading::fanPercent));
        }
        return out;
    }

    private static List<Double> column(List<GpuReading> gpus, Function<GpuReading, Double> f) {
        return gpus.stream().map(f).toList();
    }

    private static Double round1(Double v) {
        return v == null ? null : Math.round(v * 10.0) / 10.0;
    }

    private static void put(Map<String, Object> out, String key, Object value) {
        if (value != null) {
            out.put(key, value);
        }
    }

    private static String text(Object v) {
        if (v instanceof List<?> list) {
            return String.join(" ", list.stream().map(NodeStatsCommand::text).toList());
        }
        if (v instanceof Double d) {
            return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString(d.longValue())
                    : String.format(Locale.ROOT, "%s", d);
        }
        return String.valueOf(v);
    }

    private static String toJson(Map<String, Object> out) throws JsonProcessingException {
        return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(out);
    }
}
