package io.jenkins.plugins.clearml.execution;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.clearml.client.TaskStatus;
import io.jenkins.plugins.clearml.node.NodeAccess;
import io.jenkins.plugins.clearml.node.ProcessSpec;
import io.jenkins.plugins.clearml.python.SkipInstall;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A whole venv-mode run with {@code CLEARML_AGENT_SKIP_PYTHON_ENV_INSTALL} in the agent's environment. */
class SkipInstallRunTest {

    @TempDir
    Path tmp;

    @Test
    void theNodesPythonRunsTheTaskAsIsAndTheRequirementsStayAsRecorded() throws Exception {
        try (EngineFixture f = new EngineFixture(tmp)) {
            String repo = EngineFixture.repoWith(tmp, "plain", Map.of("main.py",
                    "import sys\nprint('executable', sys.executable)\nprint('prefix is base', sys.prefix == sys.base_prefix)\n"));
            String id = f.task(repo, "main.py", Map.of("requirements", Map.of("pip", "tinypkg==1.0\n")), Map.of());
            Map<String, String> env = new HashMap<>(f.node.environment());
            env.put(SkipInstall.SKIP_PYTHON_ENV, "1");
            NodeAccess node = new NodeAccess(f.node.processes(), f.node.files(), env, f.node.hostName());
            String python = f.node.processes().run(ProcessSpec.of("python3", "-c",
                    "import sys; print(sys.executable)")).output().strip();

            ExecutionResult result = new TaskExecutor(f.client, f.config, node, ExecutorOptions.defaults()
                    .withWorkspaceRoot(tmp.resolve("workspaces").toString()).withSpillDir(tmp))
                    .execute(new ExecutionRequest(id, null, List.of(), EngineFixture.WORKER, true, false), f.console::add);

            List<String> log = f.server.logLines(id);
            assertThat(result.status()).as(String.join("\n", log)).isEqualTo(TaskStatus.COMPLETED);
            assertThat(log).contains("executable " + python, "prefix is base True")
                    .noneMatch(l -> l.contains("Creating virtual environment") || l.contains("Installing requirements"));
            assertThat(f.server.requestCount("tasks.set_requirements")).as("nothing installed, nothing written back")
                    .isZero();
        }
    }
}
