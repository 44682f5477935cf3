package io.jenkins.plugins.clearml.metrics;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What a build page shows of a run's GPUs: per GPU, peak and mean utilisation and memory, and utilisation over
 * time in at most {@value #MAX_POINTS} points (when full, neighbouring points are merged, so a run of any length
 * fits in a fixed size). Plain fields, so that Jenkins can keep it in the build's XML. Not thread-safe.
 */
public final class GpuRunSummary implements Serializable {

    private static final long serialVersionUID = 1L;
    /** Points kept per GPU; an even number, so that merging pairs leaves no remainder. */
    static final int MAX_POINTS = 240;

    private boolean started;
    private long firstMillis;
    private long lastMillis;
    private int samplesPerPoint = 1;
    private long samples;
    private List<Gpu> gpus = new ArrayList<>();

    /** One GPU's figures. */
    public static final class Gpu implements Serializable {
        private static final long serialVersionUID = 1L;

        private int index;
        private String uuid;
        private long samples;
        private double utilizationSum;
        private double utilizationPeak;
        private long utilizationSamples;
        private double memorySum;
        private double memoryPeak;
        private long memorySamples;
        private double memoryTotal;
        /** Mean utilisation of each full point; the point being filled is {@code pendingSum / pendingCount}. */
        private double[] points = new double[0];
        private double pendingSum;
        private int pendingCount;
        /** Mean memory used (MiB) of each full point, alongside {@link #points}. */
        private double[] memoryPoints = new double[0];
        private double pendingMemorySum;

        Gpu(int index, String uuid) {
            this.index = index;
            this.uuid = uuid;
        }

        public int index() {
            return index;
        }

        public String uuid() {
            return uuid;
        }

        /** Samples in which this GPU was seen. */
        public long samples() {
            return samples;
        }

        /** Percent, or null if the driver never gave it. */
        public Double meanUtilization() {
            return utilizationSamples == 0 ? null : utilizationSum / utilizationSamples;
        }

        public Double peakUtilization() {
            return utilizationSamples == 0 ? null : utilizationPeak;
        }

        /** MiB. */
        public Double meanMemoryUsedMiB() {
            return memorySamples == 0 ? null : memorySum / memorySamples;
        }

        public Double peakMemoryUsedMiB() {
            return memorySamples == 0 ? null : memoryPeak;
        }

        /** MiB, or null if unknown. */
        public Double memoryTotalMiB() {
            return memoryTotal > 0 ? memoryTotal : null;
        }

        /** Utilisation over time (percent), oldest first, one value per point, including the point being filled. */
        public double[] utilizationPoints() {
            return withPending(points, pendingSum);
        }

        /** Memory used over time (MiB), aligned with {@link #utilizationPoints()}. */
        public double[] memoryPoints() {
            return withPending(memoryPoints, pendingMemorySum);
        }

        private double[] withPending(double[] full, double sum) {
            double[] all = Arrays.copyOf(full, full.length + (pendingCount > 0 ? 1 : 0));
            if (pendingCount > 0) {
                all[full.length] = sum / pendingCount;
            }
            return all;
        }

        private void add(GpuReading r, int samplesPerPoint) {
            samples++;
            if (r.uuid() != null) {
                uuid = r.uuid();
            }
            if (r.utilization() != null) {
                utilizationSum += r.utilization();
                utilizationPeak = utilizationSamples == 0 ? r.utilization() : Math.max(utilizationPeak, r.utilization());
                utilizationSamples++;
            }
            if (r.memoryUsedMiB() != null) {
                memorySum += r.memoryUsedMiB();
                memoryPeak = memorySamples == 0 ? r.memoryUsedMiB() : Math.max(memoryPeak, r.memoryUsedMiB());
                memorySamples++;
            }
            if (r.memoryTotalMiB() != null) {
                memoryTotal = r.memoryTotalMiB();
            }
            // A missing utilisation counts as 0 in the chart, so that the time axis stays shared by all GPUs.
            pendingSum += r.utilization() == null ? 0 : r.utilization();
            pendingMemorySum += r.memoryUsedMiB() == null ? 0 : r.memoryUsedMiB();
            pendingCount++;
            if (pendingCount >= samplesPerPoint) {
                points = append(points, pendingSum / pendingCount);
                memoryPoints = append(memoryPoints, pendingMemorySum / pendingCount);
                pendingSum = 0;
                pendingMemorySum = 0;
                pendingCount = 0;
            }
        }

        private static double[] append(double[] values, double value) {
            double[] longer = Arrays.copyOf(values, values.length + 1);
            longer[values.length] = value;
            return longer;
        }

        private void halve() {
            points = halve(points);
            memoryPoints = halve(memoryPoints);
        }

        private static double[] halve(double[] values) {
            double[] merged = new double[values.length / 2];
            for (int i = 0; i < merged.length; i++) {
                merged[i] = (values[2 * i] + values[2 * i + 1]) / 2;
            }
            return merged;
        }

        private Gpu copy() {
            Gpu c = new Gpu(index, uuid);
            c.samples = samples;
            c.utilizationSum = utilizationSum;
            c.utilizationPeak = utilizationPeak;
            c.utilizationSamples = utilizationSamples;
            c.memorySum = memorySum;
            c.memoryPeak = memoryPeak;
            c.memorySamples = memorySamples;
            c.memoryTotal = memoryTotal;
            c.points = points.clone();
            c.memoryPoints = memoryPoints.clone();
            c.pendingMemorySum = pendingMemorySum;
            c.pendingSum = pendingSum;
            c.pendingCount = pendingCount;
            return c;
        }
    }

    /** Adds one sample's GPUs (a sample without GPUs only moves the clock). */
    public void add(NodeSample sample) {
        if (!started) {
            started = true;
            firstMillis = sample.timestampMillis();
        }
        lastMillis = sample.timestampMillis();
        samples++;
        for (GpuReading r : sample.gpus()) {
            Gpu gpu = gpus.stream().filter(g -> g.index == r.index()).findFirst().orElseGet(() -> {
                Gpu g = new Gpu(r.index(), r.uuid());
                gpus.add(g);
                gpus.sort((a, b) -> Integer.compare(a.index, b.index));
                return g;
            });
            gpu.add(r, samplesPerPoint);
        }
        if (gpus.stream().anyMatch(g -> g.points.length >= MAX_POINTS)) {
            // Merge pairs in every GPU at once, so that a point covers the same time for all of them.
            gpus.forEach(Gpu::halve);
            samplesPerPoint *= 2;
        }
    }

    /** The GPUs seen, ordered by index. */
    public List<Gpu> gpus() {
        return List.copyOf(gpus);
    }

    public boolean isEmpty() {
        return gpus.isEmpty();
    }

    /** Milliseconds from the first to the last sample. */
    public long durationMillis() {
        return lastMillis - firstMillis;
    }

    public long firstMillis() {
        return firstMillis;
    }

    /** Samples each full point of {@link Gpu#utilizationPoints()} stands for. */
    public int samplesPerPoint() {
        return samplesPerPoint;
    }

    /** Milliseconds each full point stands for (the sample period times {@link #samplesPerPoint()}); 0 if unknown. */
    public long millisPerPoint() {
        return samples < 2 ? 0 : Math.round((double) durationMillis() / (samples - 1) * samplesPerPoint);
    }

    public GpuRunSummary copy() {
        GpuRunSummary c = new GpuRunSummary();
        c.started = started;
        c.firstMillis = firstMillis;
        c.lastMillis = lastMillis;
        c.samplesPerPoint = samplesPerPoint;
        c.samples = samples;
        c.gpus = new ArrayList<>(gpus.stream().map(Gpu::copy).toList());
        return c;
    }
}
