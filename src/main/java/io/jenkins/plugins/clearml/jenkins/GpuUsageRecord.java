package io.jenkins.plugins.clearml.jenkins;

import io.jenkins.plugins.clearml.metrics.GpuRunSummary;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
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
    // Exact over every sample of the run; the point lists may be averaged down to a bounded number of points.
    private final double meanUtilizationPercent;
    private final double peakUtilizationPercent;
    private final double peakMemoryUsedMiB;

    public GpuUsageRecord(int index, String name, int samplePeriodSeconds, List<Double> utilizationPercent,
            List<Double> memoryUsedMiB, double memoryTotalMiB) {
        this(index, name, samplePeriodSeconds, utilizationPercent, memoryUsedMiB, memoryTotalMiB,
                average(utilizationPercent), max(utilizationPercent), max(memoryUsedMiB));
    }

    private GpuUsageRecord(int index, String name, int samplePeriodSeconds, List<Double> utilizationPercent,
            List<Double> memoryUsedMiB, double memoryTotalMiB, double meanUtilization, double peakUtilization,
            double peakMemory) {
        this.index = index;
        this.name = name;
        this.samplePeriodSeconds = samplePeriodSeconds;
        this.utilizationPercent = new ArrayList<>(utilizationPercent == null ? List.of() : utilizationPercent);
        this.memoryUsedMiB = new ArrayList<>(memoryUsedMiB == null ? List.of() : memoryUsedMiB);
        this.memoryTotalMiB = memoryTotalMiB;
        this.meanUtilizationPercent = meanUtilization;
        this.peakUtilizationPercent = peakUtilization;
        this.peakMemoryUsedMiB = peakMemory;
    }

    /** One GPU of a run's summary, as the node's monitor kept it: exact mean and peaks, bounded point lists. */
    public static GpuUsageRecord of(GpuRunSummary summary, GpuRunSummary.Gpu gpu) {
        int period = (int) Math.max(1, Math.round(summary.millisPerPoint() / 1000.0));
        return new GpuUsageRecord(gpu.index(), gpu.uuid() == null ? "" : gpu.uuid(), period,
                boxed(gpu.utilizationPoints()), boxed(gpu.memoryPoints()), orZero(gpu.memoryTotalMiB()),
                orZero(gpu.meanUtilization()), orZero(gpu.peakUtilization()), orZero(gpu.peakMemoryUsedMiB()));
    }

    private static List<Double> boxed(double[] values) {
        return values == null ? List.of() : Arrays.stream(values).boxed().toList();
    }

    private static double orZero(Double value) {
        return value == null ? 0 : value;
    }

    private static double average(List<Double> values) {
        return values == null ? 0 : values.stream().mapToDouble(Double::doubleValue).average().orElse(0);
    }

    private static double max(List<Double> values) {
        return values == null ? 0 : values.stream().mapToDouble(Double::doubleValue).max().orElse(0);
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
        return meanUtilizationPercent;
    }

    public double getPeakUtilizationPercent() {
        return peakUtilizationPercent;
    }

    public double getPeakMemoryUsedMiB() {
        return peakMemoryUsedMiB;
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
