package io.jenkins.plugins.clearml.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.clearml.client.ClearMLClient;
import io.jenkins.plugins.clearml.client.ClientSettings;
import io.jenkins.plugins.clearml.client.MachineStats;
import io.jenkins.plugins.clearml.client.ServerEndpoint;
import io.jenkins.plugins.clearml.client.StatusReport;
import io.jenkins.plugins.clearml.localserver.LocalClearMLServer;
import io.jenkins.plugins.clearml.localserver.LocalClearMLServer.ScalarSample;
import io.jenkins.plugins.clearml.node.NodeAccess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The monitor against the in-process ClearML server, over HTTP, with nvidia-smi standing in for a GPU. */
class ResourceMonitorTest {

    @TempDir
    Path dir;

    private LocalClearMLServer server;
    private ClearMLClient client;
    private FakeNvidiaSmi smi;

    @BeforeEach
    void start() throws Exception {
        server = new LocalClearMLServer().start();
        client = new ClearMLClient(ClientSettings.of(ServerEndpoint.of(server.apiUrl()), server.credentials(),
                "node-1:gpu0").withRetryWindow(Duration.ofSeconds(5)));
        smi = new FakeNvidiaSmi(dir, NvidiaSmiGpuSourceTest.TWO_GPUS);
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    private MetricsSettings settings(Duration report) {
        return new MetricsSettings(Duration.ofMillis(200), report, true, "nvidia-smi", smi.program.toString(), null,
                100.0);
    }

    private static void waitFor(Supplier<Boolean> condition) throws InterruptedException {
        for (int i = 0; i < 200 && !condition.get(); i++) {
            Thread.sleep(50);
        }
    }

    @Test
    void writesTheSdkMonitorScalarsOfTheTaskEveryReportPeriod() throws Exception {
        String task = server.createTask("train");

        try (ResourceMonitor monitor = ResourceMonitor.start(NodeAccess.local(), settings(Duration.ofMillis(600)),
                VisibleGpus.all(), client, task)) {
            waitFor(() -> server.scalarEvents(task).stream().map(ScalarSample::iteration).distinct().count() >= 2);
            assertThat(monitor.gpuSourceName()).isEqualTo("nvidia-smi");
        }

        List<ScalarSample> events = server.scalarEvents(task);
        assertThat(events).extracting(e -> e.metric() + "/" + e.variant()).contains(
                ":monitor:machine/cpu_usage", ":monitor:machine/memory_used_gb", ":monitor:machine/memory_free_gb",
                ":monitor:machine/disk_free_percent", ":monitor:machine/io_read_mbs", ":monitor:machine/io_write_mbs",
                ":monitor:machine/network_rx_mbs", ":monitor:machine/network_tx_mbs",
                ":monitor:gpu/gpu_0_utilization", ":monitor:gpu/gpu_0_mem_used_gb", ":monitor:gpu/gpu_0_mem_usage",
                ":monitor:gpu/gpu_0_mem_free_gb", ":monitor:gpu/gpu_0_temperature", ":monitor:gpu/gpu_0_power_draw",
                ":monitor:gpu/gpu_1_utilization", ":monitor:gpu/gpu_1_temperature");
        assertThat(events).filteredOn(e -> e.variant().equals("gpu_0_utilization"))
                .allSatisfy(e -> assertThat(e.value()).isEqualTo(97.0));
        // GPU 1 answers [N/A] for utilisation: reported as the default utilisation, as the SDK does
        assertThat(events).filteredOn(e -> e.variant().equals("gpu_1_utilization"))
                .allSatisfy(e -> assertThat(e.value()).isEqualTo(100.0));
        assertThat(events).filteredOn(e -> e.variant().equals("gpu_1_power_draw")).isEmpty();
        // the SDK's iteration when the task reports none: seconds since the monitor started
        assertThat(events).allSatisfy(e -> assertThat(e.iteration()).isBetween(0L, 60L));
        // and nvidia-smi is stopped with the monitor
        NvidiaSmiGpuSourceTest.waitUntilDead(smi.pids().get(0));
        assertThat(smi.pids()).hasSize(1);
        assertThat(FakeNvidiaSmi.alive(smi.pids().get(0))).isFalse();
        // the server does not let monitor scalars move the task's last iteration
        assertThat(server.taskJson(task).get("last_iteration")).isIn(null, 0);
    }

    @Test
    void theStatusReportSupplierAveragesSinceItsLastCallInTheAgentsFields() throws Exception {
        String task = server.createTask("train");
        ResourceMonitor monitor = ResourceMonitor.start(NodeAccess.local(), settings(Duration.ofHours(1)),
                VisibleGpus.parse("1"), client, task);
        Supplier<MachineStats> stats = monitor.machineStats();
        waitFor(() -> monitor.latest() != null && monitor.latest().gpus().size() == 1);
        Thread.sleep(500);
        MachineStats window = stats.get();
        monitor.close();

        client.statusReport(new StatusReport("node-1:gpu0", System.currentTimeMillis(), task, null, null, window,
                null));

        assertThat(window.cpuUsage()).hasSize(1);
        assertThat(window.gpuUsage()).containsExactly(100.0); // only GPU 1 is visible; it gives no utilisation
        assertThat(window.gpuMemoryUsed()).containsExactly(0.0);
        assertThat(window.gpuMemoryFree()).containsExactly(143771.0);
        assertThat(window.gpuTemperature()).containsExactly(30.0);
        Map<String, Object> stored = server.workers().stream().filter(w -> w.id().equals("node-1:gpu0")).findFirst()
                .orElseThrow().machineStats();
        assertThat(stored).containsKeys("cpu_usage", "memory_used", "memory_free", "disk_free_home", "disk_read",
                "disk_write", "network_rx", "network_tx", "gpu_usage", "gpu_temperature", "gpu_memory_used",
                "gpu_memory_free");
        // the last window was taken: nothing has been sampled since (the monitor is closed)
        stats.get();
        assertThat(stats.get()).isNull();
        // the GPU summary of the run, for the build page
        GpuRunSummary summary = monitor.gpuSummary();
        assertThat(summary.gpus()).extracting(GpuRunSummary.Gpu::index).containsExactly(1);
        assertThat(summary.gpus().get(0).peakMemoryUsedMiB()).isEqualTo(0.0);
        assertThat(UtilizationChartSvg.render(summary)).contains("<polyline");
    }

    @Test
    void aShortTaskGetsItsScalarsAtClose() throws Exception {
        String task = server.createTask("short");
        ResourceMonitor monitor = ResourceMonitor.start(NodeAccess.local(), settings(Duration.ofHours(1)),
                VisibleGpus.none(), client, task);
        waitFor(() -> monitor.latest() != null);

        monitor.close();

        assertThat(server.scalarEvents(task)).extracting(ScalarSample::metric).contains(":monitor:machine")
                .doesNotContain(":monitor:gpu");
        assertThat(smi.pids()).isEmpty(); // GPUs "none": nvidia-smi is not even started
    }

    @Test
    void withTaskScalarsOffNothingIsWrittenToTheTask() throws Exception {
        String task = server.createTask("own SDK monitor");
        ResourceMonitor monitor = ResourceMonitor.start(NodeAccess.local(),
                settings(Duration.ofMillis(400)).withTaskScalars(false), VisibleGpus.all(), client, task);
        waitFor(() -> monitor.latest() != null);
        Thread.sleep(600);
        monitor.close();

        assertThat(server.scalarEvents(task)).isEmpty();
        assertThat(monitor.machineStats().get()).isNotNull();
    }

    @Test
    void anUnreachableServerDoesNotStopSampling() throws Exception {
        String task = server.createTask("offline");
        server.close();
        ClearMLClient offline = new ClearMLClient(ClientSettings.of(ServerEndpoint.of(server.apiUrl()),
                server.credentials(), "node-1").withRetryWindow(Duration.ofMillis(200)));
        ResourceMonitor monitor = ResourceMonitor.start(NodeAccess.local(), settings(Duration.ofMillis(200)),
                VisibleGpus.none(), offline, task);
        waitFor(() -> monitor.gpuSummary().durationMillis() > 800);
        long before = monitor.latest().timestampMillis();
        Thread.sleep(600);
        long after = monitor.latest().timestampMillis();
        monitor.close();
        offline.close();

        assertThat(after).isGreaterThan(before);
    }
}
