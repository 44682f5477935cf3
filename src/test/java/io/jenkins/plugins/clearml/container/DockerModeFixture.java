package io.jenkins.plugins.clearml.container;

import static io.jenkins.plugins.clearml.testsupport.container.ContainerRuntimeExtension.TEST_IMAGE;

import io.jenkins.plugins.clearml.client.ServerEndpoint;
import io.jenkins.plugins.clearml.config.AgentConfig;
import io.jenkins.plugins.clearml.localserver.LocalClearMLServer;
import io.jenkins.plugins.clearml.python.PythonSettings;
import io.jenkins.plugins.clearml.testsupport.git.TestRepository;
import io.jenkins.plugins.clearml.testsupport.python.OfflinePip;
import io.jenkins.plugins.clearml.testsupport.python.TinyWheels;
import io.jenkins.plugins.clearml.vcs.GitSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A ClearML server in process, a git repository with a task script that needs a locally built wheel, and the agent
 * configuration that runs it in docker mode offline: the wheel folder is mounted by the administrator's extra docker
 * arguments and pip is pointed at it through the configuration's {@code environment} section.
 */
final class DockerModeFixture implements AutoCloseable {

    /** Prints what the tests look for; {@code --mode fail} exits 3, {@code --mode sleep} sleeps 10 minutes. */
    static final String SCRIPT = String.join("\n",
            "import argparse, os, sys, time, tinypkg",
            "print('first line of the task', flush=True)",
            "print('in container:', os.path.exists('/run/.containerenv') or os.path.exists('/.dockerenv'))",
            "print('tinypkg', tinypkg.VERSION)",
            "print('task id', os.environ['CLEARML_TASK_ID'])",
            "print('secret given:', len(os.environ.get('CLEARML_API_SECRET_KEY', '')) > 0)",
            "print('config readable:', os.access(os.environ['CLEARML_CONFIG_FILE'], os.R_OK))",
            "print('image', os.environ.get('CLEARML_DOCKER_IMAGE'))",
            "print('gpus', os.environ.get('NVIDIA_VISIBLE_DEVICES'), os.environ.get('CUDA_VISIBLE_DEVICES'))",
            "parser = argparse.ArgumentParser(); parser.add_argument('--mode', default='ok')",
            "mode = parser.parse_args().mode",
            "print('mode', mode, 'env', os.environ.get('MODE'), flush=True)",
            "if mode == 'fail': sys.exit(3)",
            "if mode == 'sleep':",
            "    print('sleeping', flush=True)",
            "    time.sleep(600)",
            "");

    final Path tmp;
    final LocalClearMLServer server;
    final TestRepository repo;
    final Path wheels;

    DockerModeFixture(Path tmp) throws IOException {
        this.tmp = tmp;
        server = new LocalClearMLServer().start();
        wheels = tmp.resolve("wheels");
        TinyWheels.write(wheels, "tinypkg", "1.0");
        repo = TestRepository.create(tmp, "project");
        repo.write("main.py", SCRIPT);
        repo.commit("task script");
        repo.push();
    }

    /** A queued task, as the web UI leaves it after "Enqueue"; {@code image} empty for none. */
    String createTask(String image, String arguments, String setupScript, String mode) {
        String id = server.createTask("docker e2e " + mode, Map.of(
                "script", Map.of("repository", repo.fileUrl(), "branch", "master", "version_num", repo.head(),
                        "entry_point", "main.py", "working_dir", ".", "binary", "python3",
                        "requirements", Map.of("pip", "tinypkg==1.0\n")),
                "container", Map.of("image", image, "arguments", arguments, "setup_shell_script", setupScript),
                "hyperparams", Map.of("Args", Map.of("mode", Map.of("section", "Args", "name", "mode",
                        "value", mode)))));
        server.enqueue(id, server.defaultQueueId());
        return id;
    }

    String createTask(String arguments, String setupScript, String mode) {
        return createTask(TEST_IMAGE, arguments, setupScript, mode);
    }

    String log(String taskId) {
        return String.join("\n", server.logLines(taskId));
    }

    /** The agent configuration, in code; {@code pythonBinary} is a path only the node has (ignored in docker mode). */
    AgentConfig config(List<String> allowed) {
        return config(allowed, tmp.resolve("node-only/bin/python3").toString());
    }

    AgentConfig config(List<String> allowed, String pythonBinary) {
        ServerEndpoint endpoint = new ServerEndpoint(server.apiUrl(), null, null);
        DockerSettings docker = new DockerSettings("docker", "", List.of(),
                List.of("--volume", wheels + ":" + wheels + ":ro"), allowed, List.of(),
                tmp.resolve("pip-cache").toString(), false);
        PythonSettings python = new PythonSettings(pythonBinary,
                tmp.resolve("venvs").toString(), tmp.resolve("venvs-cache").toString(), 10, List.of(), List.of(),
                false);
        GitSettings git = new GitSettings(null, null, null, tmp.resolve("vcs-cache").toString(), false, false);
        return new AgentConfig(endpoint, server.credentials(), "docker-test", "docker-test:0", git, python, docker,
                OfflinePip.environment(wheels), Duration.ofSeconds(60), Duration.ofSeconds(1), Duration.ofSeconds(1),
                Duration.ofSeconds(30), null);
    }

    /** The same configuration as a clearml.conf file, for the command line. */
    Path configFile() throws IOException {
        StringBuilder env = new StringBuilder();
        OfflinePip.environment(wheels).forEach((k, v) -> env.append("  ").append(k).append(": \"").append(v)
                .append("\"\n"));
        String conf = "api {\n"
                + "  api_server: \"" + server.apiUrl() + "\"\n"
                + "  credentials { access_key: \"" + server.credentials().accessKey() + "\", secret_key: \""
                + server.credentials().secretKey() + "\" }\n"
                + "}\n"
                + "agent {\n"
                + "  venvs_dir: \"" + tmp.resolve("venvs") + "\"\n"
                + "  venvs_cache.path: \"" + tmp.resolve("venvs-cache") + "\"\n"
                + "  vcs_cache.path: \"" + tmp.resolve("vcs-cache") + "\"\n"
                + "  docker_pip_cache: \"" + tmp.resolve("pip-cache") + "\"\n"
                + "  extra_docker_arguments: [\"--volume\", \"" + wheels + ":" + wheels + ":ro\"]\n"
                + "}\n"
                + "environment {\n" + env + "}\n";
        Path file = tmp.resolve("conf/clearml.conf");
        Files.createDirectories(file.getParent());
        Files.writeString(file, conf);
        return file;
    }

    @Override
    public void close() {
        server.close();
    }
}
