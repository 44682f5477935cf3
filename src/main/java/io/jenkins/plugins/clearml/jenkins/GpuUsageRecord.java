package io.jenkins.plugins.clearml.jenkins;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * One GPU's use during a task run, kept with the build: samples at a fixed period, so that a chart can be drawn and
 * a summary computed later. Plain fields rather than a record: Jenkins stores build actions with XStream, which
 * cannot restore records.
 */
public final class GpuUsageRecord implements Serializable {

    private static final long serialVersionUID = 1L;

    private final int index;
    private final String name;
    private final int samplePeriodSeconds;
    private final List<Double> utilizationPercent;
    private final List<Double> memoryUsedMiB;
    private final double memoryTotalMiB;

    public GpuUsageRecord(int index, String name, int samplePeriodSeconds, List<Double> utilizationPercent,
            List<Double> memoryUsedMiB, double memoryTotalMiB) {
        this.index = index;
        this.name = name;
        this.samplePeriodSeconds = samplePeriodSeconds;
        this.utilizationPercent = new ArrayList<>(utilizationPercent == null ? List.of() : utilizationPercent);
        this.memoryUsedMiB = new ArrayList<>(memoryUsedMiB == null ? List.of() : memoryUsedMiB);
        this.memoryTotalMiB = memoryTotalMiB;
    }

    public int getIndex() {
        return index;
    }

    public String getName() {
        return name;
    }

    public int getSamplePeriodSeconds() {
        return samplePeriodSeconds;
    }

    public List<Double> getUtilizationPercent() {
        return List.copyOf(utilizationPercent);
    }

    public List<Double> getMemoryUsedMiB() {
        return List.copyOf(memoryUsedMiB);
    }

    public double getMemoryTotalMiB() {
        return memoryTotalMiB;
    }

    public double getMeanUtilizationPercent() {
        return utilizationPercent.stream().mapToDouble(Double::doubleValue).average().orElse(0);
    }

    public double getPeakUtilizationPercent() {
        return utilizationPercent.stream().mapToDouble(Double::doubleValue).max().orElse(0);
    }

    public double getPeakMemoryUsedMiB() {
        return memoryUsedMiB.stream().mapToDouble(Double::doubleValue).max().orElse(0);
    }

    public String getMeanUtilizationText() {
        return String.format(java.util.Locale.ROOT, "%.0f%%", getMeanUtilizationPercent());
    }

    public String getPeakUtilizationText() {
        return String.format(java.util.Locale.ROOT, "%.0f%%", getPeakUtilizationPercent());
    }

    /** Peak memory used out of the GPU's total, e.g. "10240 / 81920 MiB". */
    public String getPeakMemoryText() {
        return String.format(java.util.Locale.ROOT, "%.0f / %.0f MiB", getPeakMemoryUsedMiB(), memoryTotalMiB);
    }
}
