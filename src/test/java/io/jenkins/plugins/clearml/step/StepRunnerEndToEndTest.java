package io.jenkins.plugins.clearml.step;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.clearml.client.ClearMLClient;
import io.jenkins.plugins.clearml.execution.ExecutionRequest;
import io.jenkins.plugins.clearml.execution.ExecutorOptions;
import io.jenkins.plugins.clearml.execution.TaskExecutor;
import io.jenkins.plugins.clearml.jenkins.ClearmlRunAction;
import io.jenkins.plugins.clearml.jenkins.NodeFacts;
import io.jenkins.plugins.clearml.jenkins.PluginSettings;
import io.jenkins.plugins.clearml.jenkins.ServerSettings;
import io.jenkins.plugins.clearml.jenkins.TaskRecord;
import io.jenkins.plugins.clearml.localserver.LocalClearMLServer;
import io.jenkins.plugins.clearml.node.LocalNode;
import io.jenkins.plugins.clearml.node.NodeAccess;
import io.jenkins.plugins.clearml.testsupport.git.TestRepository;
import io.jenkins.plugins.clearml.testsupport.python.NodeWithEnvironment;
import io.jenkins.plugins.clearml.testsupport.python.OfflinePip;
import io.jenkins.plugins.clearml.testsupport.python.TinyWheels;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code clearmlExecute} does after its checks, with real parts: the real engine on this machine (git clone, a
 * venv built offline, the task's Python process), the real client over HTTP to the in-process ClearML server, and
 * the configuration the step derives from the Jenkins settings. Only Jenkins itself is absent: the build log, the
 * build action and the step's end are the runner's ports.
 */
class StepRunnerEndToEndTest {

    @TempDir
    Path tmp;

    private LocalClearMLServer server;
    private NodeAccess node;
    private final List<String> log = new CopyOnWriteArrayList<>();
    private final ClearmlRunAction action = new ClearmlRunAction();
    private final CompletableFuture<Object> outcome = new CompletableFuture<>();

    @BeforeEach
    void start() throws Exception {
        server = new LocalClearMLServer().start();
        TinyWheels.write(tmp.resolve("wheels"), "tinypkg", "1.0");
        Map<String, String> env = new HashMap<>(System.getenv());
        env.putAll(OfflinePip.environment(tmp.resolve("wheels")));
        node = new NodeAccess(NodeWithEnvironment.of(OfflinePip.environment(tmp.resolve("wheels"))), LocalNode.get(), env,
                "jenkins-agent-1");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private String task(String script) {
        TestRepository repo = TestRepository.create(tmp, "code" + System.nanoTime());
        repo.write("main.py", script).commit("task code");
        repo.push();
        return server.createTask("train", Map.of("script", Map.of("repository", repo.fileUrl(), "branch", "main",
                "entry_point", "main.py", "working_dir", ".", "binary", "python3")));
    }

    private StepRunner runner(String taskId) {
        return runner(ExecutionRequest.venv(taskId), null);
    }

    private StepRunner runner(ExecutionRequest request, StepRunner.RunStarter starter) {
        ServerSettings local = new ServerSettings("local", server.apiUrl(), "", "", "keys");
        StepPlan plan = new StepPlan(local, server.credentials(), null, null, request);
        StepRunner.NodeOpener opener = () -> new StepRunner.OpenedNode(node,
                new NodeFacts(tmp.resolve("home").toString(), tmp.toString(), "jenkins-agent-1"));
        StepRunner.RunStarter engine = (client, config, access, req, console) ->
                new TaskExecutor(client, config, access, ExecutorOptions.defaults()
                        .withWorkspaceRoot(tmp.resolve("workspaces").toString()).withSpillDir(tmp))
                        .start(req, console);
        StepRunner.Records records = new StepRunner.Records() {
            @Override
            public int add(TaskRecord record) {
                return action.add(record);
            }

            @Override
            public void update(int position, UnaryOperator<TaskRecord> change) {
                action.change(position, change);
            }
        };
        StepRunner.Completion completion = new StepRunner.Completion() {
            @Override
            public void succeeded(Map<String, Object> value) {
                outcome.complete(value);
            }

            @Override
            public void failed(StepRunner.Failure failure) {
                outcome.complete(failure);
            }
        };
        return new StepRunner(plan, new PluginSettings(List.of(local), "", "", List.of()), opener,
                settings -> new ClearMLClient(settings.withRetryWindow(Duration.ofSeconds(3))),
                starter != null ? starter : engine, records,
                log::add, completion, Duration.ofSeconds(30));
    }

    @Test
    void aTaskRunsToCompletionWithItsConsoleInTheBuildLogAndInClearml() throws Exception {
        String id = task("print('hello from the task', flush=True)\n");
        runner(id).startThread("e2e");

        Object result = outcome.get(240, TimeUnit.SECONDS);
        assertThat(result).as("%s", result).isInstanceOf(Map.class);
        Map<?, ?> value = (Map<?, ?>) result;
        assertThat(value.get("id")).isEqualTo(id);
        assertThat(value.get("status")).isEqualTo("completed");
        assertThat((String) value.get("url")).endsWith("/experiments/" + id + "/output/log");
        assertThat(log).anyMatch(l -> l.contains("hello from the task"));
        assertThat(server.logLines(id)).anyMatch(l -> l.contains("hello from the task"));
        assertThat(server.task(id).status()).isEqualTo("completed");
        TaskRecord record = action.getTasks().get(0);
        assertThat(record.getStatus()).isEqualTo("completed");
        assertThat(record.getName()).isEqualTo("train");
        assertThat(record.getDurationMillis()).isPositive();
        // The engine used the caches under the node's home, as the step configured them.
        assertThat(tmp.resolve("home/.clearml/vcs-cache")).isDirectoryContaining(p -> p.getFileName().toString().startsWith("code"));
        assertThat(tmp.resolve("home/.clearml/venvs-cache")).isDirectory();
    }

    @Test
    void aFailingTaskFailsTheStepWithItsReason() throws Exception {
        String id = task("import sys\nprint('bad input', flush=True)\nsys.exit(3)\n");
        runner(id).startThread("e2e");

        StepRunner.Failure failure = (StepRunner.Failure) outcome.get(240, TimeUnit.SECONDS);
        assertThat(failure.kind()).isEqualTo(StepRunner.Failure.Kind.TASK_FAILED);
        assertThat(failure.message()).startsWith("ClearML task " + id + " 'train' ended failed");
        assertThat(server.task(id).status()).isEqualTo("failed");
        assertThat(action.getTasks().get(0).getStatus()).isEqualTo("failed");
    }

    @Test
    void abortingTheBuildStopsTheTaskWithAReasonNamingJenkins() throws Exception {
        String id = task("import time\nprint('started', flush=True)\nwhile True:\n    time.sleep(0.2)\n");
        StepRunner runner = runner(id);
        runner.startThread("e2e");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
        while (server.logLines(id).stream().noneMatch(l -> l.contains("started")) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        InterruptedException cause = new InterruptedException("build aborted");
        runner.stop(cause, "Aborted from Jenkins: build ml-train #12 was aborted");

        StepRunner.Failure failure = (StepRunner.Failure) outcome.get(60, TimeUnit.SECONDS);
        assertThat(failure.kind()).isEqualTo(StepRunner.Failure.Kind.ABORTED);
        assertThat(failure.cause()).isSameAs(cause);
        assertThat(server.task(id).status()).isEqualTo("stopped");
        assertThat(server.task(id).statusReason()).isEqualTo("Aborted from Jenkins: build ml-train #12 was aborted");
        assertThat(action.getTasks().get(0).getStatus()).isEqualTo("stopped");
    }

    /** Docker mode as the step wires it ({@link StepRunner#engine()}): the task runs in its image, on this node. */
    @org.junit.jupiter.api.Nested
    @io.jenkins.plugins.clearml.testsupport.container.RequiresContainerRuntime
    class DockerMode {

        @Test
        void theTaskRunsInItsImage() throws Exception {
            TestRepository repo = TestRepository.create(tmp, "docker-code");
            repo.write("main.py", "import os\nprint('in container:', os.path.exists('/run/.containerenv') "
                    + "or os.path.exists('/.dockerenv'), flush=True)\n").commit("task code");
            repo.push();
            String id = server.createTask("train in docker", Map.of(
                    "script", Map.of("repository", repo.fileUrl(), "branch", "main", "entry_point", "main.py",
                            "working_dir", ".", "binary", "python3"),
                    "container", Map.of("image",
                            io.jenkins.plugins.clearml.testsupport.container.ContainerRuntimeExtension.TEST_IMAGE)));
            runner(new ExecutionRequest(id, io.jenkins.plugins.clearml.execution.ContainerOptions.fromTaskOrDefault(),
                    List.of(), null, true, false), StepRunner.engine()).startThread("e2e-docker");

            Object result = outcome.get(300, TimeUnit.SECONDS);
            assertThat(result).as("%s\n%s", result, String.join("\n", server.logLines(id))).isInstanceOf(Map.class);
            assertThat(((Map<?, ?>) result).get("status")).isEqualTo("completed");
            assertThat(server.logLines(id)).anyMatch(l -> l.contains("in container: True"));
            assertThat(log).noneMatch(l -> l.contains(server.credentials().secretKey()));
        }
    }
}
