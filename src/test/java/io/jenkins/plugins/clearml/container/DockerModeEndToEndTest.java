package io.jenkins.plugins.clearml.container;

import static io.jenkins.plugins.clearml.testsupport.container.ContainerRuntimeExtension.TEST_IMAGE;
import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.clearml.client.ClearMLClient;
import io.jenkins.plugins.clearml.client.ClientSettings;
import io.jenkins.plugins.clearml.client.TaskStatus;
import io.jenkins.plugins.clearml.config.AgentConfig;
import io.jenkins.plugins.clearml.execution.ContainerOptions;
import io.jenkins.plugins.clearml.execution.ExecutionRequest;
import io.jenkins.plugins.clearml.execution.ExecutionResult;
import io.jenkins.plugins.clearml.execution.ExecutorOptions;
import io.jenkins.plugins.clearml.execution.TaskExecutor;
import io.jenkins.plugins.clearml.execution.TaskRun;
import io.jenkins.plugins.clearml.localserver.LocalClearMLServer;
import io.jenkins.plugins.clearml.node.NodeAccess;
import io.jenkins.plugins.clearml.testsupport.container.RequiresContainerRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Docker mode through the engine: a task of the in-process ClearML server is cloned on the node, its environment is
 * built and its entry point runs inside a real container, and the task's status and log come back to the server.
 */
@RequiresContainerRuntime
class DockerModeEndToEndTest {

    @TempDir
    Path tmp;

    private DockerModeFixture fixture;
    private LocalClearMLServer server;
    private final List<String> console = Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void setUp() throws Exception {
        fixture = new DockerModeFixture(tmp);
        server = fixture.server;
    }

    @AfterEach
    void tearDown() {
        fixture.close();
    }

    private AgentConfig config(List<String> allowed) {
        return fixture.config(allowed);
    }

    private String createTask(String arguments, String setupScript, String mode) {
        return fixture.createTask(arguments, setupScript, mode);
    }

    private TaskExecutor executor(AgentConfig config) {
        return executor(config, NodeAccess.local());
    }

    private TaskExecutor executor(AgentConfig config, NodeAccess node) {
        ClearMLClient client = new ClearMLClient(ClientSettings.of(config.endpoint(), config.credentials(),
                "docker-test:0"));
        return new TaskExecutor(client, config, node,
                ExecutorOptions.defaults().withWorkspaceRoot(tmp.resolve("runs").toString()).withSpillDir(tmp))
                .withDockerSites(new ContainerRunSiteFactory(config.docker()));
    }

    private static ExecutionRequest docker(String taskId) {
        return new ExecutionRequest(taskId, ContainerOptions.fromTaskOrDefault(), List.of(), "docker-test:0", true,
                false);
    }

    @Test
    void taskRunsInsideTheContainerAndReportsBack() throws Exception {
        String id = createTask("-e MODE=from-task-arguments --shm-size 64m", "echo setup-ran-$((40+2))", "ok");
        ExecutionResult result = executor(config(List.of())).execute(docker(id), console::add);
        String log = String.join("\n", server.logLines(id));
        assertThat(result.status()).as(log).isEqualTo(TaskStatus.COMPLETED);
        assertThat(result.exitCode()).isZero();
        assertThat(log).contains("first line of the task", "in container: True", "tinypkg 1.0", "task id " + id,
                "secret given: True", "config readable: True", "image " + TEST_IMAGE, "Starting container:", "mode ok env from-task-arguments", "setup-ran-42")
                .doesNotContain(server.credentials().secretKey());
        assertThat(String.join("\n", console)).doesNotContain(server.credentials().secretKey());
        assertThat(server.task(id).status()).isEqualTo("completed");
    }

    @Test
    void failingEntryPointFailsTheTaskWithItsExitCode() throws Exception {
        String id = createTask("", "", "fail");
        ExecutionResult result = executor(config(List.of())).execute(docker(id), console::add);
        assertThat(result.status()).as(String.join("\n", server.logLines(id))).isEqualTo(TaskStatus.FAILED);
        assertThat(result.exitCode()).isEqualTo(3);
    }

    @Test
    void abortFromTheWebUiStopsTheContainer() throws Exception {
        String id = createTask("", "", "sleep");
        TaskRun run = executor(config(List.of())).start(docker(id), console::add);
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (server.logLines(id).stream().noneMatch(l -> l.contains("sleeping")) && System.nanoTime() < deadline
                && run.awaitResult(Duration.ofMillis(200)).isEmpty()) {
            // wait for the task to be running inside its container
        }
        assertThat(server.logLines(id)).anyMatch(l -> l.contains("sleeping"));
        server.abort(id);
        ExecutionResult result = run.awaitResult(Duration.ofMinutes(3)).orElseThrow();
        assertThat(result.status()).isEqualTo(TaskStatus.STOPPED);
    }

    @Test
    void refusedArgumentFailsTheTaskNamingIt() throws Exception {
        String id = createTask("--privileged", "", "ok");
        ExecutionResult result = executor(config(List.of())).execute(docker(id), console::add);
        assertThat(result.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(result.reason()).contains("--privileged");
        assertThat(server.task(id).statusReason()).contains("--privileged");
        assertThat(String.join("\n", server.logLines(id))).contains("'--privileged' is not allowed");
    }

    @Test
    void skipPipVenvInTheTasksContainerArgumentsInstallsIntoTheImagesPython() throws Exception {
        String id = createTask("-e CLEARML_AGENT_SKIP_PIP_VENV_INSTALL=1", "", "ok");
        ExecutionResult result = executor(config(List.of())).execute(docker(id), console::add);
        String log = String.join("\n", server.logLines(id));
        assertThat(result.status()).as(log).isEqualTo(TaskStatus.COMPLETED);
        assertThat(log).contains("CLEARML_AGENT_SKIP_PIP_VENV_INSTALL is set: no virtual environment, running /usr/",
                "Successfully installed tinypkg-1.0", "tinypkg 1.0").doesNotContain("Creating virtual environment");
        assertThat(String.valueOf(((Map<?, ?>) ((Map<?, ?>) server.taskJson(id).get("script")).get("requirements"))
                .get("pip"))).as("the freeze of the image's python, written back").contains("tinypkg==1.0");
    }

    @Test
    void skipPythonEnvInstallsNothingInTheContainer() throws Exception {
        String id = createTask("-e CLEARML_AGENT_SKIP_PYTHON_ENV_INSTALL=1", "", "ok");
        ExecutionResult result = executor(config(List.of())).execute(docker(id), console::add);
        String log = String.join("\n", server.logLines(id));
        // the image lacks tinypkg and nothing installed it: the script's import fails
        assertThat(result.status()).as(log).isEqualTo(TaskStatus.FAILED);
        assertThat(log).contains("Installing nothing", "No module named 'tinypkg'")
                .doesNotContain("Creating virtual environment", "Successfully installed");
        assertThat(server.requestCount("tasks.set_requirements")).isZero();
    }

    @Test
    void skipPythonEnvSetOnTheNodeHoldsInItsContainersToo() throws Exception {
        String id = createTask("", "", "ok");
        NodeAccess local = NodeAccess.local();
        Map<String, String> env = new java.util.HashMap<>(local.environment());
        env.put("CLEARML_AGENT_SKIP_PYTHON_ENV_INSTALL", "1");
        NodeAccess node = new NodeAccess(local.processes(), local.files(), env, local.hostName());
        ExecutionResult result = executor(config(List.of()), node).execute(docker(id), console::add);
        String log = String.join("\n", server.logLines(id));
        assertThat(result.status()).as(log).isEqualTo(TaskStatus.FAILED); // nothing installed tinypkg
        assertThat(log).contains("Installing nothing").doesNotContain("Creating virtual environment");
    }

    @Test
    void secondRunOfTheSameTaskInstallsNothing() throws Exception {
        AgentConfig config = config(List.of());
        String first = createTask("", "", "ok");
        assertThat(executor(config).execute(docker(first), console::add).status()).isEqualTo(TaskStatus.COMPLETED);
        String second = createTask("", "", "ok");
        ExecutionResult result = executor(config).execute(docker(second), console::add);
        String log = String.join("\n", server.logLines(second));
        assertThat(result.status()).as(log).isEqualTo(TaskStatus.COMPLETED);
        assertThat(String.join("\n", server.logLines(first))).contains("Successfully installed tinypkg-1.0");
        assertThat(log).contains("tinypkg 1.0", "::: Using Cached environment").doesNotContain("Successfully installed");
        assertThat(Files.list(tmp.resolve("venvs-cache")).count()).isPositive();
    }
}
