package io.jenkins.plugins.clearml.jenkins;

import static org.assertj.core.api.Assertions.assertThat;

import hudson.Proc;
import io.jenkins.plugins.clearml.client.ClearMLClient;
import io.jenkins.plugins.clearml.client.ClientSettings;
import io.jenkins.plugins.clearml.client.TaskStatus;
import io.jenkins.plugins.clearml.execution.ExecutionRequest;
import io.jenkins.plugins.clearml.execution.ExecutionResult;
import io.jenkins.plugins.clearml.execution.ExecutorOptions;
import io.jenkins.plugins.clearml.execution.TaskExecutor;
import io.jenkins.plugins.clearml.localserver.LocalClearMLServer;
import io.jenkins.plugins.clearml.node.NodeAccess;
import io.jenkins.plugins.clearml.node.NodeProcesses;
import io.jenkins.plugins.clearml.node.RunningProcess;
import io.jenkins.plugins.clearml.testsupport.git.TestRepository;
import io.jenkins.plugins.clearml.testsupport.python.OfflinePip;
import io.jenkins.plugins.clearml.testsupport.python.TinyWheels;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real engine running a task through this plugin's node ports as a Jenkins agent would drive them: every file
 * operation serialized and done by {@link NodeFileOperation} (as over a remoting channel), every process started
 * from a {@link LaunchPlan} with the launcher's environment rules (an empty override removes a variable) and seen
 * through the {@link Proc} adapter. Jenkins' own Launcher and channel are the parts not present.
 */
class JenkinsNodePortsEndToEndTest {

    @TempDir
    Path tmp;

    private final AtomicInteger remoteCalls = new AtomicInteger();

    @SuppressWarnings("unchecked")
    private <T> T overTheWire(T value) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (T) in.readObject();
        } catch (ClassNotFoundException e) {
            throw new IOException(e);
        }
    }

    /** What LocalLauncher does with a ProcStarter: inherit the agent's environment, apply overrides, merge stderr. */
    private static final class LauncherLikeProcesses implements NodeProcesses {
        private final Map<String, String> agentEnvironment;

        LauncherLikeProcesses(Map<String, String> agentEnvironment) {
            this.agentEnvironment = agentEnvironment;
        }

        @Override
        public RunningProcess start(io.jenkins.plugins.clearml.node.ProcessSpec spec) throws IOException {
            LaunchPlan plan = LaunchPlan.of(spec);
            ProcessBuilder pb = new ProcessBuilder(plan.command()).redirectErrorStream(true);
            pb.environment().clear();
            pb.environment().putAll(agentEnvironment);
            plan.environmentOverrides().forEach((k, v) -> {
                if (v.isEmpty()) {
                    pb.environment().remove(k);
                } else {
                    pb.environment().put(k, v);
                }
            });
            if (plan.workingDir() != null) {
                pb.directory(new File(plan.workingDir()));
            }
            Process process = pb.start();
            Thread feeder = new Thread(() -> {
                try (OutputStream in = process.getOutputStream()) {
                    in.write(plan.stdin());
                } catch (IOException ignored) {
                    // the process closed its input
                }
            });
            feeder.setDaemon(true);
            feeder.start();
            return new JenkinsNodeProcesses.ProcProcess(new Proc() {
                @Override
                public InputStream getStdout() {
                    return process.getInputStream();
                }

                @Override
                public boolean isAlive() {
                    return process.isAlive();
                }

                @Override
                public int join() throws InterruptedException {
                    return process.waitFor();
                }

                @Override
                public void kill() {
                    process.descendants().forEach(ProcessHandle::destroyForcibly);
                    process.destroyForcibly();
                }
            });
        }
    }

    @Test
    void theEngineRunsATaskThroughThePluginsNodePorts() throws Exception {
        TinyWheels.write(tmp.resolve("wheels"), "tinypkg", "1.0");
        Map<String, String> agentEnv = new HashMap<>(System.getenv());
        agentEnv.putAll(OfflinePip.environment(tmp.resolve("wheels")));
        agentEnv.put("VIRTUAL_ENV", "/nonexistent/leaked-from-the-agent");

        JenkinsNodeFiles files = new JenkinsNodeFiles(op -> {
            remoteCalls.incrementAndGet();
            return overTheWire(overTheWire(op).invoke(null, null));
        });
        NodeAccess node = new NodeAccess(new LauncherLikeProcesses(agentEnv), files, agentEnv, files.facts().hostName());

        try (LocalClearMLServer server = new LocalClearMLServer().start()) {
            TestRepository repo = TestRepository.create(tmp, "code");
            repo.write("main.py", "import os\nprint('venv', os.environ.get('VIRTUAL_ENV', '')[-30:], flush=True)\n"
                    + "print('ran through the plugin ports', flush=True)\n").commit("code");
            repo.push();
            String id = server.createTask("ports", Map.of("script", Map.of("repository", repo.fileUrl(), "branch",
                    "main", "entry_point", "main.py", "working_dir", ".", "binary", "python3")));
            ServerSettings local = new ServerSettings("local", server.apiUrl(), "", "", "keys");
            var config = AgentConfigFactory.create(local, server.credentials(), null, null,
                    new PluginSettings(List.of(local), "", "", List.of()),
                    new NodeFacts(tmp.resolve("home").toString(), files.tempDir(), files.facts().hostName()));
            List<String> console = new CopyOnWriteArrayList<>();
            try (ClearMLClient client = new ClearMLClient(ClientSettings.of(local.endpoint(), server.credentials(),
                    "ports-test").withRetryWindow(Duration.ofSeconds(3)))) {
                ExecutionResult result = new TaskExecutor(client, config, node, ExecutorOptions.defaults()
                        .withWorkspaceRoot(tmp.resolve("workspaces").toString()).withSpillDir(tmp))
                        .execute(ExecutionRequest.venv(id), console::add);
                assertThat(result.status()).as(String.join("\n", server.logLines(id))).isEqualTo(TaskStatus.COMPLETED);
            }
            assertThat(server.logLines(id)).anyMatch(l -> l.contains("ran through the plugin ports"))
                    .noneMatch(l -> l.contains("leaked-from-the-agent"));
            assertThat(remoteCalls).hasValueGreaterThan(5);
        }
    }
}
