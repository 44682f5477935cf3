package io.jenkins.plugins.clearml.metrics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parsers for the Linux {@code /proc} files the sampler reads, computing what psutil computes (the ClearML agent
 * and SDK measure with psutil, so the same formulas give the same numbers). Pure functions of the file text.
 */
final class ProcFiles {

    /** {@code /proc/diskstats} and {@code /proc/partitions} count 512-byte sectors whatever the device's sector size. */
    static final int SECTOR_BYTES = 512;

    private ProcFiles() {
    }

    /** The whitespace-separated fields of a line; without a regular expression, as this runs every sample. */
    static String[] fields(String line) {
        java.util.ArrayList<String> out = new java.util.ArrayList<>(20);
        int n = line.length();
        int i = 0;
        while (i < n) {
            while (i < n && Character.isWhitespace(line.charAt(i))) {
                i++;
            }
            int start = i;
            while (i < n && !Character.isWhitespace(line.charAt(i))) {
                i++;
            }
            if (i > start) {
                out.add(line.substring(start, i));
            }
        }
        return out.toArray(new String[0]);
    }

    /** Jiffies of one {@code cpuN} line: busy and total, as psutil counts them (guest time is already in user). */
    record CpuTimes(long busy, long total) {

        /** Percent busy between {@code earlier} and this, clamped to 0..100; null if no time passed. */
        Double percentSince(CpuTimes earlier) {
            long dt = total - earlier.total;
            if (dt <= 0) {
                return null;
            }
            double pct = 100.0 * (busy - earlier.busy) / dt;
            return Math.max(0.0, Math.min(100.0, pct));
        }
    }

    /** The per-core lines ({@code cpu0}, {@code cpu1}, ...) of {@code /proc/stat}, in file order. */
    static List<CpuTimes> perCoreTimes(String procStat) {
        List<CpuTimes> cores = new ArrayList<>();
        for (String line : procStat.split("\n")) {
            if (!line.startsWith("cpu") || line.length() < 4 || !Character.isDigit(line.charAt(3))) {
                continue;
            }
            String[] f = fields(line);
            long total = 0;
            long idle = 0;
            // user nice system idle iowait irq softirq steal guest guest_nice
            for (int i = 1; i < f.length && i <= 8; i++) {
                long v = Long.parseLong(f[i]);
                total += v;
                if (i == 4 || i == 5) {
                    idle += v;
                }
            }
            cores.add(new CpuTimes(total - idle, total));
        }
        return cores;
    }

    /** {@code /proc/meminfo} values in bytes, keyed by name ({@code MemTotal}, ...). */
    static Map<String, Long> meminfo(String text) {
        Map<String, Long> values = new HashMap<>();
        for (String line : text.split("\n")) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String[] f = fields(line.substring(colon + 1));
            try {
                long v = Long.parseLong(f[0]);
                values.put(line.substring(0, colon), f.length > 1 && f[1].equals("kB") ? v * 1024 : v);
            } catch (NumberFormatException ignored) {
                // not a number: not a line we use
            }
        }
        return values;
    }

    /** Memory figures as psutil's {@code virtual_memory()}: total, used, available (bytes). */
    record Memory(long total, long used, long available) {
    }

    static Memory memory(Map<String, Long> m) {
        long total = m.getOrDefault("MemTotal", 0L);
        long free = m.getOrDefault("MemFree", 0L);
        long buffers = m.getOrDefault("Buffers", 0L);
        long cached = m.getOrDefault("Cached", 0L) + m.getOrDefault("SReclaimable", 0L);
        long used = total - free - buffers - cached;
        if (used < 0) {
            used = total - free; // psutil's fallback, e.g. in containers where cached exceeds the limit
        }
        Long available = m.get("MemAvailable");
        // Kernels before 3.14 have no MemAvailable; psutil then estimates it, we take free + buffers + cache.
        return new Memory(total, used, available != null ? available : free + buffers + cached);
    }

    /** The 1, 5 and 15 minute load averages of {@code /proc/loadavg}. */
    static List<Double> loadAverage(String text) {
        String[] f = fields(text);
        return List.of(Double.parseDouble(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2]));
    }

    /** Bytes read and written, summed over the devices of {@code /proc/diskstats} named in {@code devices}. */
    record ByteCounters(long in, long out) {
    }

    /**
     * Sums whole block devices only (the names listed in {@code /sys/block}), as psutil does, so that partitions are
     * not counted twice.
     */
    static ByteCounters diskBytes(String diskstats, Set<String> devices) {
        long read = 0;
        long written = 0;
        for (String line : diskstats.split("\n")) {
            String[] f = fields(line);
            // major minor name reads merged sectors_read ms writes merged sectors_written ...
            if (f.length < 10 || !devices.contains(f[2])) {
                continue;
            }
            read += Long.parseLong(f[5]) * SECTOR_BYTES;
            written += Long.parseLong(f[9]) * SECTOR_BYTES;
        }
        return new ByteCounters(read, written);
    }

    /** Bytes received and sent, summed over every interface of {@code /proc/net/dev} (loopback included, as psutil). */
    static ByteCounters networkBytes(String netDev) {
        long rx = 0;
        long tx = 0;
        for (String line : netDev.split("\n")) {
            int colon = line.indexOf(':');
            if (colon <= 0 || line.contains("|")) {
                continue;
            }
            String[] f = fields(line.substring(colon + 1));
            if (f.length < 9) {
                continue;
            }
            rx += Long.parseLong(f[0]);
            tx += Long.parseLong(f[8]);
        }
        return new ByteCounters(rx, tx);
    }
}
