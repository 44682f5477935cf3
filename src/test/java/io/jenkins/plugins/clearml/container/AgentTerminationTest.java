package io.jenkins.plugins.clearml.container;

import static io.jenkins.plugins.clearml.testsupport.container.ContainerRuntimeExtension.docker;
import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.clearml.testsupport.container.RequiresContainerRuntime;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SIGTERM to the agent's JVM kills and removes the container of the run in progress. */
@RequiresContainerRuntime
class AgentTerminationTest {

    @TempDir
    Path tmp;

    @Test
    void sigtermToTheAgentRemovesTheContainer() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process agent = new ProcessBuilder(List.of(java.toString(), "-cp", System.getProperty("java.class.path"),
                SiteHolderMain.class.getName(), Files.createDirectories(tmp.resolve("ws")).toString(),
                tmp.resolve("pip").toString()))
                .redirectErrorStream(true).start();
        String container = null;
        StringBuilder seen = new StringBuilder();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(agent.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                seen.append(line).append('\n');
                if (line.startsWith("READY ")) {
                    container = line.substring("READY ".length());
                    break;
                }
            }
            assertThat(container).as(seen.toString()).isNotNull();
            assertThat(docker("inspect", "--format", "{{.State.Running}}", container).output().strip())
                    .isEqualTo("true");
            agent.destroy(); // SIGTERM
            assertThat(agent.waitFor(2, TimeUnit.MINUTES)).isTrue();
        } finally {
            agent.destroyForcibly();
        }
        assertThat(docker("inspect", container).code()).as("container %s after SIGTERM", container).isNotZero();
    }
}
