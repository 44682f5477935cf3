package io.jenkins.plugins.clearml.metrics;

import io.jenkins.plugins.clearml.node.NodeAccess;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;

/**
 * CPU cost of the sampler (docs/benchmarks.md, "Metrics"); not a test. Samples this machine every period for the
 * given time and prints the sampling thread's CPU time per sample (after a warm-up) and the share of one core.
 *
 * <pre>
 * java -cp target/clearml-agent-cli.jar:target/test-classes \
 *     io.jenkins.plugins.clearml.metrics.SamplerBenchmark [seconds=60] [periodMillis=1000] [nvmlLibrary]
 * </pre>
 * With an NVML library path (e.g. the stand-in built from src/test/resources/metrics/fake-nvml), GPUs are read
 * through the JNA binding as well.
 */
public final class SamplerBenchmark {

    private SamplerBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        long period = args.length > 1 ? Long.parseLong(args[1]) : 1000;
        String nvml = args.length > 2 ? args[2] : null;
        MetricsSettings settings = MetricsSettings.defaults().withPeriods(Duration.ofMillis(period),
                Duration.ofSeconds(30)).withGpuBackend(nvml == null ? "none" : "nvml");
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        int warmUp = 10;
        int n = (int) (seconds * 1000 / period);
        long[] cpu = new long[n];
        try (NodeSampler sampler = NodeSampler.open(NodeAccess.local(), settings, VisibleGpus.all(), true,
                nvml == null ? "nvidia-ml" : nvml)) {
            for (int i = 0; i < warmUp; i++) {
                sampler.sample();
            }
            long next = System.nanoTime();
            for (int i = 0; i < n; i++) {
                next += period * 1_000_000;
                long sleep = next - System.nanoTime();
                if (sleep > 0) {
                    Thread.sleep(sleep / 1_000_000);
                }
                long before = threads.getCurrentThreadCpuTime();
                NodeSample s = sampler.sample();
                cpu[i] = threads.getCurrentThreadCpuTime() - before;
                if (s.memoryTotalBytes() == null) {
                    throw new IllegalStateException("no memory reading");
                }
            }
            System.out.printf(Locale.ROOT, "gpu source: %s, gpus per sample: %d%n", sampler.gpuSourceName(),
                    sampler.sample().gpus().size());
        }
        long[] sorted = cpu.clone();
        Arrays.sort(sorted);
        double mean = Arrays.stream(cpu).average().orElseThrow() / 1e6;
        System.out.printf(Locale.ROOT, "samples: %d every %d ms%n", n, period);
        System.out.printf(Locale.ROOT, "cpu per sample: mean %.3f ms, median %.3f ms, p95 %.3f ms%n", mean,
                sorted[n / 2] / 1e6, sorted[(int) (n * 0.95)] / 1e6);
        System.out.printf(Locale.ROOT, "share of one core: %.3f %%%n", 100.0 * mean / period);
        int tail = Math.min(n, 60);
        double last = Arrays.stream(cpu, n - tail, n).average().orElseThrow() / 1e6;
        System.out.printf(Locale.ROOT, "last %d samples: mean %.3f ms, share of one core %.3f %%%n", tail, last,
                100.0 * last / period);
    }
}
