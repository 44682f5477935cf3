package io.jenkins.plugins.clearml.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GpuRunSummaryTest {

    static NodeSample at(long millis, GpuReading... gpus) {
        return new NodeSample(millis, 1.0, List.of(), null, List.of(), null, null, null, null, null, null, null, null,
                null, null, null, List.of(gpus));
    }

    static GpuReading gpu(int index, Double util, Double mem) {
        return new GpuReading(index, "GPU-" + index, util, mem, 80000.0, 50.0, 100.0, null);
    }

    @Test
    void peakAndMeanPerGpu() {
        GpuRunSummary s = new GpuRunSummary();
        s.add(at(1000, gpu(1, 10.0, 100.0), gpu(0, 100.0, 5000.0)));
        s.add(at(2000, gpu(1, 30.0, 300.0), gpu(0, null, 7000.0)));
        s.add(at(4000, gpu(1, 20.0, 200.0), gpu(0, 50.0, 6000.0)));

        assertThat(s.durationMillis()).isEqualTo(3000);
        assertThat(s.gpus()).extracting(GpuRunSummary.Gpu::index).containsExactly(0, 1);
        GpuRunSummary.Gpu g0 = s.gpus().get(0);
        assertThat(g0.meanUtilization()).isEqualTo(75.0); // the sample without utilisation is left out
        assertThat(g0.peakUtilization()).isEqualTo(100.0);
        assertThat(g0.meanMemoryUsedMiB()).isEqualTo(6000.0);
        assertThat(g0.peakMemoryUsedMiB()).isEqualTo(7000.0);
        assertThat(g0.memoryTotalMiB()).isEqualTo(80000.0);
        GpuRunSummary.Gpu g1 = s.gpus().get(1);
        assertThat(g1.meanUtilization()).isEqualTo(20.0);
        assertThat(g1.peakUtilization()).isEqualTo(30.0);
        assertThat(g1.utilizationPoints()).containsExactly(10.0, 30.0, 20.0);
        assertThat(g1.memoryPoints()).containsExactly(100.0, 300.0, 200.0);
        assertThat(s.millisPerPoint()).isEqualTo(1500);
    }

    @Test
    void aLongRunFitsInABoundedNumberOfPointsThatKeepTheMean() {
        GpuRunSummary s = new GpuRunSummary();
        List<Double> values = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            double util = i < 50_000 ? 100.0 : 0.0;
            values.add(util);
            s.add(at(i * 1000L, gpu(0, util, 1.0)));
        }

        double[] points = s.gpus().get(0).utilizationPoints();

        assertThat(points.length).isLessThanOrEqualTo(GpuRunSummary.MAX_POINTS + 1).isGreaterThan(100);
        assertThat(points[0]).isEqualTo(100.0);
        assertThat(points[points.length - 1]).isEqualTo(0.0);
        assertThat(java.util.Arrays.stream(points).average().orElseThrow()).isCloseTo(50.0, within(2.0));
        assertThat(s.gpus().get(0).meanUtilization()).isEqualTo(50.0);
        assertThat(s.samplesPerPoint()).isGreaterThan(1);
        assertThat(s.gpus().get(0).memoryPoints()).hasSameSizeAs(points).containsOnly(1.0);
        assertThat(s.millisPerPoint()).isEqualTo(1000L * s.samplesPerPoint());
    }

    @Test
    void copyIsIndependent() {
        GpuRunSummary s = new GpuRunSummary();
        s.add(at(1, gpu(0, 10.0, 1.0)));
        GpuRunSummary copy = s.copy();
        s.add(at(2, gpu(0, 90.0, 1.0)));

        assertThat(copy.gpus().get(0).peakUtilization()).isEqualTo(10.0);
        assertThat(s.gpus().get(0).peakUtilization()).isEqualTo(90.0);
    }

    @Test
    void survivesJavaSerialisation() throws Exception {
        GpuRunSummary s = new GpuRunSummary();
        s.add(at(1, gpu(0, 10.0, 1.0)));
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
            out.writeObject(s);
        }
        GpuRunSummary back;
        try (java.io.ObjectInputStream in = new java.io.ObjectInputStream(
                new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
            back = (GpuRunSummary) in.readObject();
        }
        assertThat(back.gpus().get(0).utilizationPoints()).containsExactly(10.0);
    }
}
