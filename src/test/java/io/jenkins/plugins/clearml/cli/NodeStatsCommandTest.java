package io.jenkins.plugins.clearml.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class NodeStatsCommandTest {

    private record Result(int code, String out, String err) {
    }

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new ClearmlAgentCli());
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void jsonHasTheMachineStatsFieldNames() throws Exception {
        Result r = run("node-stats", "--json", "--interval", "300", "--gpus", "none");

        assertThat(r.code()).as(r.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertThat(json.get("cpu_usage").isArray()).isTrue();
        assertThat(json.get("cpu_usage").get(0).asDouble()).isBetween(0.0, 100.0);
        assertThat(json.get("memory_used").asDouble()).isPositive();
        assertThat(json.get("memory_free").asDouble()).isPositive();
        assertThat(json.get("disk_free_home").asDouble()).isBetween(0.0, 100.0);
        for (String rate : new String[] {"disk_read", "disk_write", "network_rx", "network_tx"}) {
            assertThat(json.get(rate).asDouble()).as(rate).isGreaterThanOrEqualTo(0.0);
        }
        assertThat(json.get("cpu_usage_per_core").size()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(json.get("load_average").size()).isEqualTo(3);
        assertThat(json.get("gpu_source").asText()).isEqualTo("none");
        assertThat(json.has("gpu_usage")).isFalse();
    }

    @Test
    void textHasOneFieldPerLine() {
        Result r = run("node-stats", "--interval", "200", "--gpus", "none", "--disk-path", "/tmp");

        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).containsPattern("(?m)^cpu_usage: \\d").containsPattern("(?m)^memory_free: \\d")
                .contains("disk_path: /tmp");
    }

    @Test
    void badOptionsSayWhatIsWrong() {
        Result interval = run("node-stats", "--interval", "5");
        Result backend = run("node-stats", "--gpu-backend", "cuda");

        assertThat(interval.code()).isEqualTo(2);
        assertThat(interval.err()).contains("--interval must be between 100 and 60000 milliseconds, was 5");
        assertThat(backend.code()).isEqualTo(2);
        assertThat(backend.err()).contains("GPU backend must be auto, nvml, nvidia-smi or none, was 'cuda'");
    }
}
