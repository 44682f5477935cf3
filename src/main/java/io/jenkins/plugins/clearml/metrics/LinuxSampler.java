package io.jenkins.plugins.clearml.metrics;

import io.jenkins.plugins.clearml.node.NodeAccess;
import io.jenkins.plugins.clearml.node.NodeFiles;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Samples CPU, load, memory, disk and network of a Linux node from {@code /proc} and {@code /sys}, read through the
 * node's file port so that it works for a remote Jenkins agent as well as for this machine. Keeps the previous
 * counters to turn them into rates. Not thread-safe: one sampling thread.
 */
final class LinuxSampler {

    private final NodeFiles files;
    private final DiskVolume workspace;
    private final DiskVolume temp;
    private final Set<String> blockDevices;
    private final List<String> temperatureInputs;
    private final LongSupplier clock;

    private List<ProcFiles.CpuTimes> lastCpu;
    private ProcFiles.ByteCounters lastDisk;
    private ProcFiles.ByteCounters lastNet;
    private long lastNanos;

    private LinuxSampler(NodeFiles files, DiskVolume workspace, DiskVolume temp, Set<String> blockDevices,
            List<String> temperatureInputs, LongSupplier clock) {
        this.files = files;
        this.workspace = workspace;
        this.temp = temp;
        this.blockDevices = blockDevices;
        this.temperatureInputs = temperatureInputs;
        this.clock = clock;
    }

    /** Discovers the node's block devices, temperature sensors and volumes, and takes the first counters. */
    static LinuxSampler open(NodeAccess node, String diskPath) throws InterruptedException {
        NodeFiles files = node.files();
        String tempDir = files.tempDir();
        LinuxSampler sampler = new LinuxSampler(files, DiskVolume.probe(node, diskPath),
                tempDir == null ? null : DiskVolume.probe(node, tempDir),
                listQuietly(files, "/sys/block"), packageTemperatureInputs(files), System::nanoTime);
        sampler.sample(); // baseline for the rates and CPU usage of the next sample
        return sampler;
    }

    String diskPath() {
        return workspace == null ? null : workspace.path();
    }

    /** Reads every figure; one that cannot be read is null, the others are still given. */
    NodeSample sample() throws InterruptedException {
        long now = clock.getAsLong();
        double seconds = lastNanos == 0 ? 0 : (now - lastNanos) / 1e9;
        lastNanos = now;

        List<Double> perCore = new ArrayList<>();
        Double cpuUsage = null;
        String stat = read("/proc/stat");
        if (stat != null) {
            List<ProcFiles.CpuTimes> cpu = ProcFiles.perCoreTimes(stat);
            if (lastCpu != null && lastCpu.size() == cpu.size()) {
                double sum = 0;
                for (int i = 0; i < cpu.size(); i++) {
                    Double pct = cpu.get(i).percentSince(lastCpu.get(i));
                    perCore.add(pct == null ? 0.0 : pct);
                    sum += pct == null ? 0.0 : pct;
                }
                cpuUsage = cpu.isEmpty() ? null : sum / cpu.size();
            }
            lastCpu = cpu;
        }

        ProcFiles.Memory memory = null;
        String meminfo = read("/proc/meminfo");
        if (meminfo != null) {
            memory = ProcFiles.memory(ProcFiles.meminfo(meminfo));
        }

        List<Double> load = null;
        String loadavg = read("/proc/loadavg");
        if (loadavg != null) {
            load = ProcFiles.loadAverage(loadavg);
        }

        Double diskRead = null;
        Double diskWrite = null;
        String diskstats = read("/proc/diskstats");
        if (diskstats != null) {
            ProcFiles.ByteCounters disk = ProcFiles.diskBytes(diskstats, blockDevices);
            if (lastDisk != null && seconds > 0) {
                diskRead = Math.max(0, disk.in() - lastDisk.in()) / seconds;
                diskWrite = Math.max(0, disk.out() - lastDisk.out()) / seconds;
            }
            lastDisk = disk;
        }

        Double netRx = null;
        Double netTx = null;
        String netDev = read("/proc/net/dev");
        if (netDev != null) {
            ProcFiles.ByteCounters net = ProcFiles.networkBytes(netDev);
            if (lastNet != null && seconds > 0) {
                netRx = Math.max(0, net.in() - lastNet.in()) / seconds;
                netTx = Math.max(0, net.out() - lastNet.out()) / seconds;
            }
            lastNet = net;
        }

        Long diskFree = usable(workspace);
        Long tempFree = usable(temp);
        return new NodeSample(System.currentTimeMillis(), cpuUsage, perCore, cpuTemperature(), load,
                memory == null ? null : memory.total(), memory == null ? null : memory.used(),
                memory == null ? null : memory.available(), diskRead, diskWrite, diskPath(), diskFree,
                diskFree == null ? null : workspace.freePercent(diskFree),
                tempFree == null ? null : temp.freePercent(tempFree), netRx, netTx, List.of());
    }

    private String read(String path) throws InterruptedException {
        try {
            return files.readString(path);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private Long usable(DiskVolume volume) throws InterruptedException {
        if (volume == null) {
            return null;
        }
        try {
            return files.usableSpace(volume.path());
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The hottest CPU package, degrees Celsius, as the agent's max over {@code coretemp} sensors; null if none. */
    private Double cpuTemperature() throws InterruptedException {
        Double max = null;
        for (String input : temperatureInputs) {
            String text = read(input);
            if (text == null) {
                continue;
            }
            try {
                double celsius = Long.parseLong(text.trim()) / 1000.0;
                max = max == null ? celsius : Math.max(max, celsius);
            } catch (NumberFormatException ignored) {
                // a sensor that answers nonsense is left out
            }
        }
        return max;
    }

    /**
     * The {@code coretemp} inputs to read each sample: the package sensors only ("Package id N", the hottest core
     * of each socket), so that a large machine costs a few reads rather than one per core; all inputs when the
     * sensors have no labels.
     */
    static List<String> packageTemperatureInputs(NodeFiles files) throws InterruptedException {
        List<String> inputs = new ArrayList<>();
        for (String hwmon : listQuietly(files, "/sys/class/hwmon")) {
            String dir = "/sys/class/hwmon/" + hwmon;
            String name = readQuietly(files, dir + "/name");
            if (name == null || !name.trim().equals("coretemp")) {
                continue;
            }
            List<String> all = new ArrayList<>();
            List<String> packages = new ArrayList<>();
            for (String entry : listQuietly(files, dir)) {
                if (entry.startsWith("temp") && entry.endsWith("_input")) {
                    all.add(dir + "/" + entry);
                    String label = readQuietly(files, dir + "/" + entry.replace("_input", "_label"));
                    if (label != null && label.startsWith("Package")) {
                        packages.add(dir + "/" + entry);
                    }
                }
            }
            inputs.addAll(packages.isEmpty() ? all : packages);
        }
        return List.copyOf(inputs);
    }

    private static Set<String> listQuietly(NodeFiles files, String dir) throws InterruptedException {
        try {
            return new HashSet<>(files.list(dir));
        } catch (IOException | RuntimeException e) {
            return Set.of();
        }
    }

    private static String readQuietly(NodeFiles files, String path) throws InterruptedException {
        try {
            return files.readString(path);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
