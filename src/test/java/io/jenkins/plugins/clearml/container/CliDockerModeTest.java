package io.jenkins.plugins.clearml.container;

import static io.jenkins.plugins.clearml.testsupport.container.ContainerRuntimeExtension.TEST_IMAGE;
import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.clearml.cli.ClearmlAgentCli;
import io.jenkins.plugins.clearml.testsupport.container.ContainerRuntimeExtension;
import io.jenkins.plugins.clearml.testsupport.container.RequiresContainerRuntime;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code clearml-agent-cli execute --id TASK --docker [IMAGE]} as a user runs it: a separate JVM with a clearml.conf,
 * against the in-process ClearML server.
 */
@RequiresContainerRuntime
class CliDockerModeTest {

    @TempDir
    Path tmp;

    private DockerModeFixture fixture;

    @BeforeEach
    void setUp() throws Exception {
        fixture = new DockerModeFixture(tmp);
    }

    @AfterEach
    void tearDown() {
        fixture.close();
    }

    /** The command line in its own JVM, with its home in the test's folder and no ClearML variables inherited. */
    private Process start(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Duser.home=" + tmp.resolve("home"), "-cp", System.getProperty("java.class.path"),
                ClearmlAgentCli.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("CLEARML_") || k.startsWith("TRAINS_"));
        return pb.start();
    }

    private static String readAll(Process p) throws Exception {
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
        return out;
    }

    @Test
    void dockerFlagRunsTheTaskInItsImage() throws Exception {
        String id = fixture.createTask("-e MODE=cli", "", "ok");
        Process p = start("execute", "--id", id, "--docker", "--config-file", fixture.configFile().toString());
        String out = readAll(p);
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("first line of the task", "in container: True", "tinypkg 1.0", "mode ok env cli",
                "config readable: True", "image " + TEST_IMAGE)
                .doesNotContain(fixture.server.credentials().secretKey());
        assertThat(fixture.server.task(id).status()).isEqualTo("completed");
    }

    @Test
    void imageFromTheFlagAndGpusBecomeDockerOptions() throws Exception {
        String id = fixture.createTask("", "", "", "fail");
        Process p = start("execute", "--id", id, "--docker", TEST_IMAGE, "--gpus", "0,1",
                "--config-file", fixture.configFile().toString());
        String out = readAll(p);
        assertThat(p.exitValue()).as(out).isEqualTo(3);
        assertThat(out).contains("(requested on the command line)", "--gpus \"device=0,1\" ", "gpus 0,1 0,1",
                "in container: True");
        assertThat(fixture.server.task(id).status()).isEqualTo("failed");
    }

    @Test
    void sigtermToTheAgentStopsTheTaskAndRemovesTheContainer() throws Exception {
        String id = fixture.createTask("", "", "sleep");
        Process p = start("execute", "--id", id, "--docker", "--config-file", fixture.configFile().toString());
        StringBuilder seen = new StringBuilder();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null && !line.contains("sleeping")) {
                seen.append(line).append('\n');
            }
            assertThat(line).as(seen.toString()).isNotNull();
            assertThat(ContainerRuntimeExtension.leftoverContainers()).hasSize(1);
            p.destroy(); // SIGTERM
            assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
        } finally {
            p.destroyForcibly();
        }
        assertThat(ContainerRuntimeExtension.leftoverContainers()).isEmpty();
        assertThat(fixture.server.task(id).status()).isEqualTo("stopped");
    }
}
