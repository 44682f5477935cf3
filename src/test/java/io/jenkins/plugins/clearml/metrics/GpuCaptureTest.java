package io.jenkins.plugins.clearml.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every capture of {@code tools/gpu-capture.sh} kept under src/test/resources/metrics/gpu-capture/&lt;machine&gt;/:
 * the plugin parses what nvidia-smi printed on a real GPU machine, and its figures agree with NVML's read at the
 * same moment (pynvml, in nvml-vs-smi.json).
 */
class GpuCaptureTest {

    static List<Path> captures() throws Exception {
        URL root = GpuCaptureTest.class.getResource("/metrics/gpu-capture");
        if (root == null) {
            return List.of();
        }
        try (Stream<Path> dirs = Files.list(Path.of(root.toURI()))) {
            return dirs.filter(d -> Files.exists(d.resolve("query.csv"))).sorted().toList();
        }
    }

    @TestFactory
    Stream<DynamicTest> everyCapture() throws Exception {
        List<Path> captures = captures();
        assumeThat(captures).as("captures from a GPU machine").isNotEmpty();
        List<DynamicTest> tests = new ArrayList<>();
        for (Path c : captures) {
            String name = c.getFileName().toString();
            tests.add(DynamicTest.dynamicTest(name + ": one-shot query", () -> oneShot(c)));
            tests.add(DynamicTest.dynamicTest(name + ": -l 1 and -lms 500 loops", () -> loops(c)));
            tests.add(DynamicTest.dynamicTest(name + ": nvidia-smi agrees with NVML", () -> agreesWithNvml(c)));
        }
        return tests.stream();
    }

    private static List<GpuReading> parse(Path file) throws Exception {
        return NvidiaSmiCsv.parse(Files.readString(file));
    }

    private static void oneShot(Path c) throws Exception {
        List<GpuReading> gpus = parse(c.resolve("query.csv"));

        assertThat(gpus).isNotEmpty();
        assertThat(gpus).allSatisfy(g -> {
            assertThat(g.uuid()).startsWith("GPU-");
            assertThat(g.memoryTotalMiB()).isPositive();
            assertThat(g.memoryUsedMiB()).isBetween(0.0, g.memoryTotalMiB());
            assertThat(g.temperatureC()).isBetween(0.0, 120.0);
        });
        // every line of the output is a reading: nothing the parser skips silently
        assertThat(Files.readAllLines(c.resolve("query.csv")).stream().filter(l -> !l.isBlank()))
                .hasSize(gpus.size());
    }

    private static void loops(Path c) throws Exception {
        int gpus = parse(c.resolve("query.csv")).size();
        for (String loop : List.of("loop-l1.csv", "loop-lms500.csv")) {
            List<GpuReading> readings = parse(c.resolve(loop));
            long lines = Files.readAllLines(c.resolve(loop)).stream().filter(l -> !l.isBlank()).count();

            assertThat(readings).as(loop).hasSizeGreaterThanOrEqualTo(3 * gpus);
            // a timeout can cut the last line short; every other line is a reading
            assertThat(lines - readings.size()).as(loop).isBetween(0L, 1L);
        }
    }

    private static void agreesWithNvml(Path c) throws Exception {
        Path json = c.resolve("nvml-vs-smi.json");
        assumeThat(json).exists();
        JsonNode rounds = new ObjectMapper().readTree(json.toFile()).path("side_by_side");
        assumeThat(rounds.size()).isPositive();
        for (JsonNode round : rounds) {
            List<GpuReading> smi = new ArrayList<>();
            for (JsonNode row : round.path("nvidia_smi_csv")) {
                List<String> cells = new ArrayList<>();
                row.forEach(cell -> cells.add(cell.asText()));
                NvidiaSmiCsv.parseLine(String.join(", ", cells), NvidiaSmiCsv.FIELDS).ifPresent(smi::add);
            }
            JsonNode nvml = round.path("nvml");
            assertThat(smi).hasSize(nvml.size());
            for (int i = 0; i < smi.size(); i++) {
                GpuReading s = smi.get(i);
                JsonNode n = nvml.get(i);
                assertThat(s.index()).isEqualTo(n.path("index").asInt());
                assertThat(n.path("uuid").asText()).contains(s.uuid());
                double total = n.path("memory.total MiB (v2)").isNumber() ? n.path("memory.total MiB (v2)").asDouble()
                        : n.path("memory.total MiB (v1)").asDouble();
                assertThat(s.memoryTotalMiB()).isEqualTo(Math.floor(total));
                // the plugin's NVML source reports v2 "used" (without the driver's reservation), as nvidia-smi does
                if (n.path("memory.used MiB (v2)").isNumber()) {
                    assertThat(s.memoryUsedMiB()).isCloseTo(Math.floor(n.path("memory.used MiB (v2)").asDouble()),
                            org.assertj.core.data.Offset.offset(64.0));
                }
                assertThat(s.temperatureC()).isCloseTo(n.path("temperature.gpu C").asDouble(),
                        org.assertj.core.data.Offset.offset(3.0));
                // a field NVML cannot give is one nvidia-smi prints as [N/A] / [Not Supported]
                assertThat(s.fanPercent() == null).isEqualTo(!n.path("fan.speed %").isNumber());
                assertThat(s.powerWatts() == null).isEqualTo(!n.path("power.draw W").isNumber());
            }
        }
    }
}
