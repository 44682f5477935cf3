package io.jenkins.plugins.clearml.execution;

import io.jenkins.plugins.clearml.client.ClearMLClient;
import io.jenkins.plugins.clearml.client.ClientSettings;
import io.jenkins.plugins.clearml.client.Credentials;
import io.jenkins.plugins.clearml.client.ServerEndpoint;
import io.jenkins.plugins.clearml.config.AgentConfig;
import io.jenkins.plugins.clearml.container.DockerSettings;
import io.jenkins.plugins.clearml.localserver.LocalClearMLServer;
import io.jenkins.plugins.clearml.node.LocalNode;
import io.jenkins.plugins.clearml.node.NodeAccess;
import io.jenkins.plugins.clearml.python.PythonSettings;
import io.jenkins.plugins.clearml.testsupport.python.NodeWithEnvironment;
import io.jenkins.plugins.clearml.testsupport.python.OfflinePip;
import io.jenkins.plugins.clearml.testsupport.python.TinyWheels;
import io.jenkins.plugins.clearml.vcs.GitSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The engine against real parts: the in-process ClearML server over HTTP, the local node with pip pointed at wheels
 * the fixture writes (offline), venvs and the git cache in a temporary folder. Short poll and flush intervals keep
 * the tests quick; the behaviour is the same as with the defaults.
 */
final class EngineFixture implements AutoCloseable {

    static final String WORKER = "test-node:1";

    final Path root;
    final LocalClearMLServer server;
    final AgentConfig config;
    final ClearMLClient client;
    final NodeAccess node;
    final List<String> console = new CopyOnWriteArrayList<>();

    EngineFixture(Path root) throws IOException {
        this(root, null);
    }

    EngineFixture(Path root, Credentials clientCredentials) throws IOException {
        this.root = root;
        Path wheels = root.resolve("wheels");
        TinyWheels.write(wheels, "tinypkg", "1.0");
        this.server = new LocalClearMLServer().start();
        Credentials credentials = clientCredentials != null ? clientCredentials : server.credentials();
        this.config = new AgentConfig(ServerEndpoint.of(server.apiUrl()), credentials, "test-node", WORKER,
                new GitSettings(null, null, null, root.resolve("vcs-cache").toString(), true, false),
                new PythonSettings("", root.resolve("venvs").toString(), null, 10, List.of(), List.of(), false),
                new DockerSettings("docker", "python:3", List.of(), List.of(), List.of(), List.of(), null, false),
                Map.of("FROM_CONFIG_ENVIRONMENT", "yes"),
                Duration.ofSeconds(60), Duration.ofMillis(300), Duration.ofMillis(300), Duration.ofSeconds(30), null);
        this.client = new ClearMLClient(ClientSettings.of(config.endpoint(), credentials, WORKER)
                .withRetryWindow(Duration.ofSeconds(3)));
        Map<String, String> env = new HashMap<>(System.getenv());
        env.putAll(OfflinePip.environment(wheels));
        this.node = new NodeAccess(NodeWithEnvironment.of(OfflinePip.environment(wheels)), LocalNode.get(), env,
                "test-node");
    }

    TaskExecutor executor() {
        return executor(config);
    }

    TaskExecutor executor(AgentConfig withConfig) {
        return new TaskExecutor(client, withConfig, node, ExecutorOptions.defaults()
                .withWorkspaceRoot(root.resolve("workspaces").toString())
                .withSpillDir(root));
    }

    TaskRun start(String taskId) {
        return start(taskId, config);
    }

    TaskRun start(String taskId, AgentConfig withConfig) {
        return executor(withConfig).start(new ExecutionRequest(taskId, null, List.of(), WORKER, true, false), console::add);
    }

    ExecutionResult execute(String taskId) throws InterruptedException {
        return start(taskId).awaitResult();
    }

    /** A task running {@code entryPoint} from {@code repositoryUrl} (branch main), with extra {@code script} fields. */
    String task(String repositoryUrl, String entryPoint, Map<String, Object> scriptExtras,
            Map<String, String> args) {
        Map<String, Object> script = new LinkedHashMap<>();
        script.put("repository", repositoryUrl);
        script.put("branch", "main");
        script.put("entry_point", entryPoint);
        script.put("working_dir", ".");
        script.put("binary", "python3");
        script.putAll(scriptExtras);
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("script", script);
        if (!args.isEmpty()) {
            Map<String, Object> section = new LinkedHashMap<>();
            args.forEach((k, v) -> section.put(k, Map.of("section", "Args", "name", k, "value", v)));
            fields.put("hyperparams", Map.of("Args", section));
        }
        return server.createTask("engine test task", fields);
    }

    /** Waits (bounded) until the task's log holds a line containing {@code text}. */
    void awaitLogLine(String taskId, String text) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            if (server.logLines(taskId).stream().anyMatch(l -> l.contains(text))) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the task log never showed '" + text + "'; console:\n" + String.join("\n", console));
    }

    /** Processes still alive whose command line contains {@code marker}, after a bounded wait for them to go. */
    static List<String> survivors(String marker) throws InterruptedException {
        List<String> alive = List.of();
        for (int i = 0; i < 100; i++) {
            alive = ProcessHandle.allProcesses()
                    .filter(ProcessHandle::isAlive)
                    .map(p -> p.info().commandLine().orElse(""))
                    .filter(c -> c.contains(marker))
                    .toList();
            if (alive.isEmpty()) {
                return alive;
            }
            Thread.sleep(100);
        }
        return alive;
    }

    static String repoWith(Path root, String name, Map<String, String> files) throws IOException {
        var repo = io.jenkins.plugins.clearml.testsupport.git.TestRepository.create(root, name);
        files.forEach(repo::write);
        repo.commit("task code");
        repo.push();
        return repo.fileUrl();
    }

    @Override
    public void close() {
        client.close();
        server.close();
    }

    static Path mkdirs(Path p) throws IOException {
        return Files.createDirectories(p);
    }
}
