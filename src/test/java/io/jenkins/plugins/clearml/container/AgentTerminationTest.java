package io.jenkins.plugins.clearml.container;

import static io.jenkins.plugins.clearml.testsupport.container.ContainerRuntimeExtension.docker;
import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.clearml.testsupport.container.ContainerRuntimeExtension;
import io.jenkins.plugins.clearml.testsupport.container.RequiresContainerRuntime;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An agent JVM ({@link SiteHolderMain}) holding an open container site: SIGTERM kills and removes the container at
 * once, and after SIGKILL the container removes itself when the heartbeats stop.
 */
@RequiresContainerRuntime
class AgentTerminationTest {

    @TempDir
    Path tmp;

    /** The agent JVM and the container it opened. */
    private record Agent(Process process, String container) {
    }

    private Agent startAgent(String... extraArgs) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(), "-cp", System.getProperty("java.class.path"),
                SiteHolderMain.class.getName(), Files.createDirectories(tmp.resolve("ws")).toString(),
                tmp.resolve("pip").toString()));
        command.addAll(List.of(extraArgs));
        Process agent = new ProcessBuilder(command).redirectErrorStream(true).start();
        StringBuilder seen = new StringBuilder();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(agent.getInputStream(),
                    StandardCharsets.UTF_8));
            String line;
            while ((line = out.readLine()) != null) {
                seen.append(line).append('\n');
                if (line.startsWith("READY ")) {
                    String container = line.substring("READY ".length());
                    assertThat(docker("inspect", "--format", "{{.State.Running}}", container).output().strip())
                            .isEqualTo("true");
                    return new Agent(agent, container);
                }
            }
            throw new AssertionError("the agent ended before opening its container:\n" + seen);
        } catch (Exception | AssertionError e) {
            agent.destroyForcibly();
            throw e;
        }
    }

    @Test
    void sigtermToTheAgentRemovesTheContainer() throws Exception {
        Agent agent = startAgent();
        try {
            agent.process().destroy(); // SIGTERM
            assertThat(agent.process().waitFor(2, TimeUnit.MINUTES)).isTrue();
        } finally {
            agent.process().destroyForcibly();
        }
        assertThat(docker("inspect", agent.container()).code()).as("container %s after SIGTERM", agent.container())
                .isNotZero();
    }

    @Test
    void afterSigkillOfTheAgentTheContainerRemovesItself() throws Exception {
        Agent agent = startAgent("4", "1");
        agent.process().destroyForcibly(); // SIGKILL: no shutdown hook runs
        assertThat(agent.process().waitFor(1, TimeUnit.MINUTES)).isTrue();
        // docker ps -a with our label; only this container counts, as other test JVMs may run some of their own
        for (int i = 0; i < 200 && ContainerRuntimeExtension.leftoverContainers().contains(agent.container()); i++) {
            Thread.sleep(300); // the watchdog's timeout (4 s) and a step, then --rm
        }
        assertThat(ContainerRuntimeExtension.leftoverContainers()).as("our containers after the agent's SIGKILL")
                .doesNotContain(agent.container());
    }
}
