package io.jenkins.plugins.clearml.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class NvidiaSmiCsvTest {

    @Test
    void theQueryIsTheOneTheCaptureScriptRecords() throws Exception {
        String script = java.nio.file.Files.readString(java.nio.file.Path.of("tools/gpu-capture.sh"));

        assertThat(script).contains("QUERY=\"" + NvidiaSmiCsv.QUERY + "\"");
        assertThat(NvidiaSmiCsv.QUERY)
                .isEqualTo("index,uuid,utilization.gpu,memory.used,memory.total,temperature.gpu,power.draw,fan.speed");
    }

    @Test
    void parsesRecordedOutputOfThreeGpusOneOfWhichDoesNotSupportUtilisation() {
        List<String> fields = List.of("index", "uuid", "name", "temperature.gpu", "utilization.gpu", "memory.used",
                "memory.total");

        List<GpuReading> gpus = NvidiaSmiCsv.parse(Fixtures.text("nvidia-smi/gpustat-titanx-3gpus.csv"), fields);

        assertThat(gpus).extracting(GpuReading::index).containsExactly(0, 1, 2);
        assertThat(gpus.get(0)).isEqualTo(new GpuReading(0, "GPU-10fb0fbd-2696-43f3-467f-d280d906a107", 76.0,
                8000.0, 12287.0, 80.0, null, null));
        assertThat(gpus.get(1).utilization()).isEqualTo(0.0);
        assertThat(gpus.get(2).utilization()).isNull();
        assertThat(gpus.get(2).memoryUsedMiB()).isEqualTo(8520.0);
        assertThat(gpus.get(2).memoryFreeMiB()).isEqualTo(12287.0 - 8520.0);
        assertThat(gpus.get(2).temperatureC()).isEqualTo(71.0);
    }

    @Test
    void parsesRecordedOutputOfAnOlderDriverThatWritesNaWithoutBrackets() {
        // driver 440.64, GeForce RTX 2080: temperature.memory is "N/A"
        List<String> fields = List.of("power.limit", "power.min_limit", "power.max_limit", "memory.total",
                "vbios_version", "driver_version", "name", "gpu_uuid", "power.draw", "temperature.gpu",
                "temperature.memory", "clocks.current.graphics", "clocks.sm", "clocks.mem", "utilization.gpu",
                "utilization.memory", "fan.speed", "pcie.link.width.current", "pstate");

        List<GpuReading> gpus = NvidiaSmiCsv.parse(Fixtures.text("nvidia-smi/rtx2080-driver440.csv"), fields);

        assertThat(gpus).containsExactly(new GpuReading(0, "GPU-22b2c6ac-2d49-4863-197c-9c469071178a", 86.0, null,
                7979.0, 45.0, 176.98, 100.0));
        assertThat(NvidiaSmiCsv.number("N/A")).isNull();
    }

    @Test
    void aFanThatIsNotAvailableIsNull() {
        String recorded = Fixtures.text("nvidia-smi/laptop-fan-na.csv").trim();

        assertThat(NvidiaSmiCsv.number(recorded)).isNull();
        GpuReading gpu = NvidiaSmiCsv.parse("0, GPU-a, 3, 10, 4096, 45, 7.50, " + recorded + "\n").get(0);
        assertThat(gpu.fanPercent()).isNull();
        assertThat(gpu.powerWatts()).isEqualTo(7.5);
    }

    @Test
    void everyFormOfMissingValueIsNullAndTheOthersStillCount() {
        // datacenter GPUs: no fan; MIG: no utilisation; some boards: no power reading
        String out = "0, GPU-aaaa, [N/A], 1, 81559, 30, [Not Supported], [N/A]\n"
                + "1, GPU-bbbb, 87, 40000, 81559, N/A, 250.12, [Unknown Error]\n";

        List<GpuReading> gpus = NvidiaSmiCsv.parse(out);

        assertThat(gpus.get(0)).isEqualTo(new GpuReading(0, "GPU-aaaa", null, 1.0, 81559.0, 30.0, null, null));
        assertThat(gpus.get(1)).isEqualTo(new GpuReading(1, "GPU-bbbb", 87.0, 40000.0, 81559.0, null, 250.12, null));
    }

    @Test
    void linesThatAreNotReadingsAreSkipped() {
        String out = "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver.\n"
                + "No devices were found\n"
                + "\n"
                + "WARNING: infoROM is corrupted at gpu 0000:3B:00.0\n"
                + "0, GPU-aaaa, 5, 1, 81559, 30, 70.00, [N/A]\r\n"
                + "x, GPU-bbbb, 5, 1, 81559, 30, 70.00, [N/A]\n";

        assertThat(NvidiaSmiCsv.parse(out)).extracting(GpuReading::index).containsExactly(0);
    }

    @Test
    void valuesWithUnitsAreReadToo() {
        // the same query without ",nounits"
        GpuReading gpu = NvidiaSmiCsv.parse("3, GPU-cccc, 45 %, 1024 MiB, 81559 MiB, 33, 118.93 W, [N/A]").get(0);

        assertThat(gpu).isEqualTo(new GpuReading(3, "GPU-cccc", 45.0, 1024.0, 81559.0, 33.0, 118.93, null));
    }
}
