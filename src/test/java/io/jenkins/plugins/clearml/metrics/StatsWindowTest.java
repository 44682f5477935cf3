package io.jenkins.plugins.clearml.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.clearml.client.MachineStats;
import io.jenkins.plugins.clearml.client.ScalarEvent;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class StatsWindowTest {

    static final long MIB = 1L << 20;

    static NodeSample sample(double cpu, long usedBytes, List<GpuReading> gpus) {
        return new NodeSample(1_700_000_000_000L, cpu, List.of(cpu, cpu), null, List.of(1.0, 1.0, 1.0),
                16L << 30, usedBytes, 8L << 30, 2.0 * MIB, 4.0 * MIB, "/home/j", 10L << 30, 61.0, 50.0,
                0.5 * MIB, 0.25 * MIB, gpus);
    }

    static GpuReading gpu(int index, Double util, double usedMiB) {
        return new GpuReading(index, "GPU-" + index, util, usedMiB, 81559.0, 60.0, 300.0, null);
    }

    @Test
    void machineStatsAreWindowAveragesInTheAgentsUnits() {
        StatsWindow w = new StatsWindow(100.0);
        w.add(sample(10.0, 1024 * MIB, List.of(gpu(1, 50.0, 1000), gpu(0, 90.0, 40000))));
        w.add(sample(20.0, 2048 * MIB, List.of(gpu(1, 70.0, 3000), gpu(0, 100.0, 40000))));

        MachineStats m = w.machineStats();

        assertThat(m.cpuUsage()).containsExactly(15.0);
        assertThat(m.cpuTemperature()).isNull();
        assertThat(m.memoryUsed()).isEqualTo(1536.0);
        assertThat(m.memoryFree()).isEqualTo(8192.0);
        assertThat(m.diskFreeHome()).isEqualTo(61.0);
        assertThat(m.diskFreeTemp()).isEqualTo(50.0);
        assertThat(m.diskRead()).isEqualTo(2.0);
        assertThat(m.diskWrite()).isEqualTo(4.0);
        assertThat(m.networkRx()).isEqualTo(0.5);
        assertThat(m.networkTx()).isEqualTo(0.25);
        // ordered by GPU index, whatever the order of the readings
        assertThat(m.gpuUsage()).containsExactly(95.0, 60.0);
        assertThat(m.gpuMemoryUsed()).containsExactly(40000.0, 2000.0);
        assertThat(m.gpuMemoryFree()).containsExactly(41559.0, 79559.0);
        assertThat(m.gpuTemperature()).containsExactly(60.0, 60.0);
    }

    @Test
    void roundsToThreeDecimalsAndGivesTheDefaultUtilisationWhenTheDriverHasNone() {
        StatsWindow w = new StatsWindow(100.0);
        w.add(sample(1.0, MIB, List.of(gpu(0, null, 1))));
        w.add(sample(2.0, MIB, List.of(gpu(0, null, 1))));
        w.add(sample(2.0, MIB, List.of(gpu(0, null, 1))));

        assertThat(w.machineStats().cpuUsage()).containsExactly(1.667);
        assertThat(w.machineStats().gpuUsage()).containsExactly(100.0);
        StatsWindow withoutDefault = new StatsWindow(null);
        withoutDefault.add(sample(1.0, MIB, List.of(gpu(0, null, 1))));
        assertThat(withoutDefault.machineStats().gpuUsage()).isNull();
    }

    @Test
    void anEmptyWindowHasNoStatsAndClearStartsAfresh() {
        StatsWindow w = new StatsWindow(100.0);
        assertThat(w.machineStats()).isNull();
        w.add(sample(50.0, MIB, List.of(gpu(0, 1.0, 1))));
        w.clear();
        w.add(sample(10.0, MIB, List.of()));

        assertThat(w.machineStats().cpuUsage()).containsExactly(10.0);
        assertThat(w.machineStats().gpuUsage()).isNull();
        assertThat(w.size()).isEqualTo(1);
    }

    @Test
    void firstSampleWithoutRatesStillGivesTheOtherFigures() {
        StatsWindow w = new StatsWindow(100.0);
        w.add(new NodeSample(1L, null, List.of(), null, List.of(), 1L << 30, 1L << 29, 1L << 29, null, null, "/h",
                null, null, null, null, null, List.of()));

        MachineStats m = w.machineStats();

        assertThat(m.cpuUsage()).isNull();
        assertThat(m.diskRead()).isNull();
        assertThat(m.memoryUsed()).isEqualTo(512.0);
    }

    @Test
    void sdkScalarsUseTheSdkResourceMonitorsTitlesSeriesAndUnits() {
        StatsWindow w = new StatsWindow(100.0);
        w.add(sample(10.0, 3L << 30, List.of(gpu(2, 80.0, 20480))));

        List<ScalarEvent> events = w.sdkScalars("task-1", 30, 1234L);
        Map<String, Double> byName = events.stream()
                .collect(Collectors.toMap(e -> e.metric() + "/" + e.variant(), ScalarEvent::value));

        assertThat(events).allSatisfy(e -> {
            assertThat(e.task()).isEqualTo("task-1");
            assertThat(e.iteration()).isEqualTo(30);
            assertThat(e.timestampMillis()).isEqualTo(1234L);
        });
        assertThat(byName).containsOnly(
                Map.entry(":monitor:machine/cpu_usage", 10.0),
                Map.entry(":monitor:machine/memory_used_gb", 3.0),
                Map.entry(":monitor:machine/memory_free_gb", 8.0),
                Map.entry(":monitor:machine/disk_free_percent", 61.0),
                Map.entry(":monitor:machine/network_rx_mbs", 0.5),
                Map.entry(":monitor:machine/network_tx_mbs", 0.25),
                Map.entry(":monitor:machine/io_read_mbs", 2.0),
                Map.entry(":monitor:machine/io_write_mbs", 4.0),
                Map.entry(":monitor:gpu/gpu_2_temperature", 60.0),
                Map.entry(":monitor:gpu/gpu_2_utilization", 80.0),
                Map.entry(":monitor:gpu/gpu_2_mem_used_gb", 20.0),
                Map.entry(":monitor:gpu/gpu_2_mem_usage", 25.111),
                Map.entry(":monitor:gpu/gpu_2_mem_free_gb", 59.647),
                Map.entry(":monitor:gpu/gpu_2_power_draw", 300.0));
    }
}
