package io.jenkins.plugins.clearml.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.clearml.localserver.LocalClearMLServer;
import io.jenkins.plugins.clearml.testsupport.git.TestRepository;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code execute --id TASK} in its own JVM, configured by the three variables alone (no clearml.conf), exactly as
 * users and the other components invoke it.
 */
class ExecuteCommandTest {

    @TempDir
    Path tmp;

    record Run(int exitCode, String stdout, String stderr) {
    }

    private Run cli(Map<String, String> env, String... args) throws Exception {
        Path home = Files.createDirectories(tmp.resolve("home"));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Duser.home=" + home, "-cp", System.getProperty("java.class.path"), ClearmlAgentCli.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().keySet().removeIf(k -> k.startsWith("CLEARML_") || k.startsWith("TRAINS_"));
        pb.environment().put("HOME", home.toString());
        pb.environment().putAll(env);
        pb.redirectError(tmp.resolve("stderr.txt").toFile());
        Process p = pb.start();
        String out;
        try (InputStream in = p.getInputStream()) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            in.transferTo(b);
            out = b.toString(StandardCharsets.UTF_8);
        }
        int code = p.waitFor();
        return new Run(code, out, Files.readString(tmp.resolve("stderr.txt")));
    }

    @Test
    void executeWithOnlyTheThreeVariablesRunsTheTaskAndExitsWithItsCode() throws Exception {
        try (LocalClearMLServer server = new LocalClearMLServer().start()) {
            TestRepository repo = TestRepository.create(tmp, "cli");
            repo.write("job.py", "import os, sys\nprint('job says hi', os.environ['CLEARML_TASK_ID'])\nsys.exit(4)\n")
                    .commit("job");
            repo.push();
            String id = server.createTask("cli task", Map.of("script", Map.of("repository", repo.fileUrl(),
                    "branch", "main", "entry_point", "job.py", "working_dir", ".", "binary", "python3")));

            Run run = cli(Map.of("CLEARML_API_HOST", server.apiUrl(),
                    "CLEARML_API_ACCESS_KEY", server.credentials().accessKey(),
                    "CLEARML_API_SECRET_KEY", server.credentials().secretKey()), "execute", "--id", id);

            assertThat(run.exitCode()).as(run.stdout() + run.stderr()).isEqualTo(4);
            assertThat(run.stdout()).contains("job says hi " + id).contains("Process failed, exit code 4")
                    .contains("Task " + id + " failed (worker execution exit code 4), exit code 4");
            assertThat(run.stdout() + run.stderr()).doesNotContain(server.credentials().secretKey());
            assertThat(server.task(id).status()).isEqualTo("failed");
            assertThat(server.logLines(id)).contains("job says hi " + id);
        }
    }

    @Test
    void missingServerVariableIsNamed() throws Exception {
        Run run = cli(Map.of(), "execute", "--id", "abc");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stderr()).contains("CLEARML_API_HOST");
    }

    @Test
    void gpuListIsParsedAsTheRealAgentAcceptsIt() {
        assertThat(ExecuteCommand.gpuList("0,1")).containsExactly("0", "1");
        assertThat(ExecuteCommand.gpuList("\"device=2,3\"")).containsExactly("2", "3");
        assertThat(ExecuteCommand.gpuList("none")).isEmpty();
        assertThat(ExecuteCommand.gpuList(null)).isEmpty();
    }
}
