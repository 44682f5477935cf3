package io.jenkins.plugins.clearml.execution;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.clearml.client.Credentials;
import io.jenkins.plugins.clearml.client.TaskStatus;
import io.jenkins.plugins.clearml.localserver.Fault;
import io.jenkins.plugins.clearml.testsupport.git.TestRepository;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input ends with one clear message naming cause and fix, on the console and (where the server is reachable) in
 * the task log, the task marked failed with the step's reason, a non-zero exit, and no process left.
 */
class ExecuteFailuresTest {

    @TempDir
    Path tmp;

    private static final String HELLO = "print('hello')\n";

    private String repo(String name, String file, String content) {
        TestRepository repo = TestRepository.create(tmp, name);
        repo.write(file, content).commit("code");
        repo.push();
        return repo.fileUrl();
    }

    /** The run failed before or at a step: the task is failed with {@code reason}, the message is in both outputs. */
    private static void assertFailed(EngineFixture f, String id, ExecutionResult result, String reason,
            String... messageParts) throws InterruptedException {
        assertThat(result.exitCode()).isNotZero();
        assertThat(result.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(result.reason()).isEqualTo(reason);
        assertThat(f.server.task(id).status()).isEqualTo("failed");
        assertThat(f.server.task(id).statusReason()).isEqualTo(reason);
        for (String part : messageParts) {
            assertThat(f.console).as("console").anyMatch(l -> l.contains(part));
            assertThat(f.server.logLines(id)).as("task log").anyMatch(l -> l.contains(part));
        }
        assertThat(EngineFixture.survivors(id)).isEmpty();
    }

    @Test
    void unknownTaskId() throws Exception {
        try (EngineFixture f = new EngineFixture(tmp)) {
            ExecutionResult result = f.execute("0123456789abcdef0123456789abcdef");
            assertThat(result.exitCode()).isNotZero();
            assertThat(result.reason()).isEqualTo("task not found");
            assertThat(f.console).singleElement().satisfies(m -> assertThat(m)
                    .contains("Task 0123456789abcdef0123456789abcdef was not found", "Check the task id"));
        }
    }

    @Test
    void wrongCredentials() throws Exception {
        try (EngineFixture f = new EngineFixture(tmp, new Credentials("WRONGKEY", "wrong-secret"))) {
            String id = f.server.createTask("never run");
            ExecutionResult result = f.execute(id);
            assertThat(result.exitCode()).isNotZero();
            assertThat(result.reason()).isEqualTo("authentication failed");
            assertThat(f.console).singleElement().satisfies(m -> assertThat(m)
                    .contains("refused the credentials", "CLEARML_API_ACCESS_KEY", "CLEARML_API_SECRET_KEY"));
            assertThat(f.server.task(id).status()).isEqualTo("created");
        }
    }

    @Test
    void serverThatAnswersGarbage() throws Exception {
        try (EngineFixture f = new EngineFixture(tmp)) {
            String id = f.server.createTask("never run");
            f.server.faults().failFor(Fault.HTML_PAGE, Duration.ofMinutes(5));
            ExecutionResult result = f.execute(id);
            assertThat(result.exitCode()).isNotZero();
            assertThat(result.reason()).isEqualTo("server unreachable");
            assertThat(f.console).singleElement().satisfies(m -> assertThat(m)
                    .contains("Could not talk to the ClearML API server", "CLEARML_API_HOST", "8008"));
        }
    }

    @Test
    void publishedTaskIsLeftAsItIs() throws Exception {
        try (EngineFixture f = new EngineFixture(tmp)) {
            String id = f.task(repo("pub", "main.py", HELLO), "main.py", Map.of(), Map.of());
            f.server.setTaskStatus(id, "published");
            ExecutionResult result = f.execute(id);
            assertThat(result.exitCode()).isNotZero();
            assertThat(f.server.task(id).status()).isEqualTo("published");
            assertThat(f.console).anyMatch(l -> l.contains("is published") && l.contains("Clone it"));
            assertThat(f.server.requestCount("tasks.started")).isZero();
        }
    }

    @Test
    void repositoryThatCannotBeCloned() throws Exception {
        try (EngineFixture f = new EngineFixture(tmp)) {
            String id = f.task("file://" + tmp.resolve("no-such-repo.git"), "main.py", Map.of(), Map.of());
            ExecutionResult result = f.execute(id);
            assertFailed(f, id, result, result.reason(), "no-such-repo");
            assertThat(result.reason()).contains("clon");
        }
    }

    @Test
    void commitThatDoesNotExist() throws Exception {
        try (EngineFixture f = new EngineFixture(tmp)) {
            String id = f.task(repo("nocommit", "main.py", HELLO), "main.py",
                    Map.of("version_num", "0123456789abcdef0123456789abcdef01234567"), Map.of());
            ExecutionResult result = f.execute(id);
            assertFailed(f, id, result, result.reason(), "0123456789abcdef0123456789abcdef01234567");
        }
    }

    @Test
    void diffThatDoesNotApply() throws Exception {
        try (EngineFixture f = new EngineFixture(tmp)) {
            String diff = """
                    diff --git a/main.py b/main.py
                    index 1111111..2222222 100644
                    --- a/main.py
                    +++ b/main.py
                    @@ -1 +1 @@
                    -print('something else entirely')
                    +print('patched')
                    """;
            String id = f.task(repo("baddiff", "main.py", HELLO), "main.py", Map.of("diff", diff), Map.of());
            ExecutionResult result = f.execute(id);
            assertFailed(f, id, result, result.reason(), "diff");
            assertThat(result.reason()).containsIgnoringCase("diff");
        }
    }

    @Test
    void requirementThatCannotBeInstalled() throws Exception {
        try (EngineFixture f = new EngineFixture(tmp)) {
            String id = f.task(repo("badreq", "main.py", HELLO), "main.py",
                    Map.of("requirements", Map.of("pip", "nosuchpackage==9.9.9\n")), Map.of());
            ExecutionResult result = f.execute(id);
            assertFailed(f, id, result, result.reason(), "nosuchpackage");
        }
    }

    @Test
    void entryPointThatDoesNotExist() throws Exception {
        try (EngineFixture f = new EngineFixture(tmp)) {
            String id = f.task(repo("noentry", "main.py", HELLO), "missing.py", Map.of(), Map.of());
            ExecutionResult result = f.execute(id);
            assertFailed(f, id, result, "entry point not found", "'missing.py' does not exist",
                    "Fix the task's script path");
        }
    }

    @Test
    void oneMessagePerFailure() throws Exception {
        try (EngineFixture f = new EngineFixture(tmp)) {
            String id = f.task(repo("onemsg", "main.py", HELLO), "missing.py", Map.of(), Map.of());
            f.execute(id);
            List<String> errors = f.server.logEvents(id).stream().filter(e -> e.level().equals("ERROR"))
                    .map(e -> e.msg()).toList();
            assertThat(errors).singleElement().satisfies(m -> assertThat(m).contains("missing.py"));
        }
    }
}
