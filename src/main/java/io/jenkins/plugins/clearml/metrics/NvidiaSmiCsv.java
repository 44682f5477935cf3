package io.jenkins.plugins.clearml.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Parses {@code nvidia-smi --query-gpu=<fields> --format=csv,noheader,nounits}: one line per GPU, values separated
 * by {@code ", "}, a value the GPU cannot give written {@code [N/A]} or {@code [Not Supported]} (or, by older
 * drivers, without brackets). Lines that are not readings (warnings, "No devices were found", a driver error) are
 * skipped.
 */
public final class NvidiaSmiCsv {

    /** The fields this plugin queries, in order (see {@link #QUERY}). */
    public static final List<String> FIELDS = List.of("index", "uuid", "utilization.gpu", "memory.used",
            "memory.total", "temperature.gpu", "power.draw", "fan.speed");

    /** The value of {@code --query-gpu}. */
    public static final String QUERY = String.join(",", FIELDS);

    private NvidiaSmiCsv() {
    }

    /** Parses output of the plugin's own query ({@link #FIELDS}). */
    public static List<GpuReading> parse(String output) {
        return parse(output, FIELDS);
    }

    /** Parses output of a query with the given fields; without {@code index}, GPUs are numbered in line order. */
    public static List<GpuReading> parse(String output, List<String> fields) {
        List<GpuReading> readings = new ArrayList<>();
        boolean numbered = fields.contains("index");
        for (String line : output.split("\r?\n")) {
            parseLine(line, fields).ifPresent(r -> readings.add(numbered ? r : new GpuReading(readings.size(),
                    r.uuid(), r.utilization(), r.memoryUsedMiB(), r.memoryTotalMiB(), r.temperatureC(),
                    r.powerWatts(), r.fanPercent())));
        }
        return readings;
    }

    /** One line of output; empty if the line is not a reading. Without an {@code index} field the index is -1. */
    public static Optional<GpuReading> parseLine(String line, List<String> fields) {
        // GPU names may contain commas, but none of the fields of the plugin's query can.
        String[] values = line.split(",", -1);
        if (values.length != fields.size()) {
            return Optional.empty();
        }
        Integer index = fields.contains("index") ? null : -1;
        String uuid = null;
        Double util = null;
        Double memUsed = null;
        Double memTotal = null;
        Double temp = null;
        Double power = null;
        Double fan = null;
        for (int i = 0; i < values.length; i++) {
            String v = values[i].trim();
            switch (fields.get(i)) {
                case "index" -> {
                    try {
                        index = Integer.parseInt(v);
                    } catch (NumberFormatException e) {
                        return Optional.empty();
                    }
                }
                case "uuid", "gpu_uuid" -> uuid = number(v) == null && v.startsWith("GPU-") ? v : null;
                case "utilization.gpu" -> util = number(v);
                case "memory.used" -> memUsed = number(v);
                case "memory.total" -> memTotal = number(v);
                case "temperature.gpu" -> temp = number(v);
                case "power.draw", "power.draw.instant", "power.draw.average" -> power = number(v);
                case "fan.speed" -> fan = number(v);
                default -> {
                    // a field the plugin does not use
                }
            }
        }
        return index == null ? Optional.empty()
                : Optional.of(new GpuReading(index, uuid, util, memUsed, memTotal, temp, power, fan));
    }

    /** A number, or null for {@code [N/A]}, {@code [Not Supported]}, {@code N/A}, {@code [Unknown Error]}, ... */
    static Double number(String v) {
        if (v.isEmpty() || !(Character.isDigit(v.charAt(0)) || v.charAt(0) == '-' || v.charAt(0) == '.')) {
            return null;
        }
        // with units (a query without ",nounits"): "45 %", "1024 MiB", "70.50 W"
        int space = v.indexOf(' ');
        try {
            double d = Double.parseDouble(space > 0 ? v.substring(0, space) : v);
            return Double.isFinite(d) ? d : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
