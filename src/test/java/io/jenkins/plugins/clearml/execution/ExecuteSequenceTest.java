package io.jenkins.plugins.clearml.execution;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.clearml.client.TaskStatus;
import io.jenkins.plugins.clearml.localserver.Fault;
import io.jenkins.plugins.clearml.localserver.LocalClearMLServer;
import io.jenkins.plugins.clearml.testsupport.git.TestRepository;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole sequence with real parts: git repository, venv, pip, python process, the server over HTTP. */
class ExecuteSequenceTest {

    @TempDir
    Path tmp;

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Prints what the agent gave it, a progress bar, a line over 64 KiB, then exits with 3. */
    private static final String INSPECT = """
            import json, os, sys
            names = ["CLEARML_TASK_ID", "TRAINS_TASK_ID", "CLEARML_LOG_TASK_TO_BACKEND", "TRAINS_LOG_TASK_TO_BACKEND",
                     "CLEARML_CONFIG_FILE", "TRAINS_CONFIG_FILE", "CLEARML_LOG_LEVEL", "TRAINS_LOG_LEVEL",
                     "CLEARML_WORKER_ID", "CLEARML_API_HOST", "CLEARML_API_ACCESS_KEY", "PYTHONPATH",
                     "FROM_CONFIG_ENVIRONMENT", "VIRTUAL_ENV"]
            print("ENV " + json.dumps({n: os.environ.get(n) for n in names}))
            print("ARGV " + json.dumps(sys.argv[1:]))
            print("CWD " + os.getcwd())
            import tinypkg
            print("TINYPKG " + tinypkg.VERSION)
            sys.stdout.write("progress 10%\\rprogress 50%\\rprogress 100%\\n")
            print("L" * 70000)
            for i in range(200):
                print("line %d" % i)
            sys.stderr.write("to stderr\\n")
            sys.exit(3)
            """;

    @Test
    void runsTheTaskAsTheRealAgentDoes() throws Exception {
        try (EngineFixture f = new EngineFixture(tmp)) {
            TestRepository repo = TestRepository.create(tmp, "inspect");
            repo.write("src/inspect_me.py", INSPECT).commit("task code");
            repo.push();
            String id = f.server.createTask("inspect", Map.of(
                    "script", Map.of("repository", repo.fileUrl(), "branch", "main", "entry_point", "inspect_me.py",
                            "working_dir", "src", "binary", "python3", "requirements", Map.of("pip", "tinypkg==1.0\n")),
                    "hyperparams", Map.of("Args", Map.of(
                            "epochs", Map.of("section", "Args", "name", "epochs", "value", "5"),
                            "lr", Map.of("section", "Args", "name", "lr", "value", "0.5"),
                            "verbose", Map.of("section", "Args", "name", "verbose", "value", "True"),
                            "quiet", Map.of("section", "Args", "name", "quiet", "value", "False")))));

            ExecutionResult result = f.execute(id);

            // exit code propagated, task failed with the real agent's reason
            assertThat(result.exitCode()).isEqualTo(3);
            assertThat(result.status()).isEqualTo(TaskStatus.FAILED);
            LocalClearMLServer.TaskSnapshot task = f.server.task(id);
            assertThat(task.status()).isEqualTo("failed");
            assertThat(task.statusReason()).isEqualTo("worker execution exit code 3");
            assertThat(task.statusMessage()).isEqualTo("Changed by clearml-agent " + EngineFixture.WORKER);

            List<String> log = f.server.logLines(id);
            JsonNode env = JSON.readTree(line(log, "ENV ").substring(4));
            assertThat(env.get("CLEARML_TASK_ID").asText()).isEqualTo(id);
            assertThat(env.get("TRAINS_TASK_ID").asText()).isEqualTo(id);
            assertThat(env.get("CLEARML_LOG_TASK_TO_BACKEND").asText()).isEqualTo("0");
            assertThat(env.get("TRAINS_LOG_TASK_TO_BACKEND").asText()).isEqualTo("0");
            assertThat(env.get("CLEARML_CONFIG_FILE").asText()).endsWith("/clearml.conf");
            assertThat(env.get("TRAINS_CONFIG_FILE").asText()).isEqualTo(env.get("CLEARML_CONFIG_FILE").asText());
            assertThat(env.get("CLEARML_LOG_LEVEL").asText()).isEqualTo("INFO");
            assertThat(env.get("CLEARML_WORKER_ID").asText()).isEqualTo(EngineFixture.WORKER);
            assertThat(env.get("CLEARML_API_HOST").asText()).isEqualTo(f.server.apiUrl());
            assertThat(env.get("CLEARML_API_ACCESS_KEY").asText()).isEqualTo(f.server.credentials().accessKey());
            assertThat(env.get("FROM_CONFIG_ENVIRONMENT").asText()).isEqualTo("yes");
            assertThat(env.get("VIRTUAL_ENV").isNull()).isTrue();
            String cwd = line(log, "CWD ").substring(4);
            assertThat(cwd).endsWith("/src");
            assertThat(env.get("PYTHONPATH").asText().split(":")).startsWith(cwd).contains(cwd);
            assertThat(line(log, "ARGV ")).isEqualTo("ARGV [\"--epochs=5\", \"--lr=0.5\", \"--verbose\"]");
            assertThat(line(log, "TINYPKG ")).isEqualTo("TINYPKG 1.0");

            // progress bar collapsed to its last state, stderr merged, nothing lost
            assertThat(log).contains("progress 100%", "to stderr").noneMatch(l -> l.contains("progress 10%"));
            for (int i = 0; i < 200; i++) {
                assertThat(log).contains("line " + i);
            }
            // the 70,000-character line arrives whole, in messages of at most 64 KiB
            long ls = log.stream().filter(l -> !l.isEmpty() && l.chars().allMatch(c -> c == 'L'))
                    .mapToLong(String::length).sum();
            assertThat(ls).isEqualTo(70000);
            assertThat(f.server.logEvents(id)).allSatisfy(e -> assertThat(e.msg().length()).isLessThanOrEqualTo(65536));
            // task output is DEBUG, agent notices INFO
            assertThat(f.server.logEvents(id)).anySatisfy(e -> {
                assertThat(e.level()).isEqualTo("DEBUG");
                assertThat(e.msg()).contains("line 199");
            });
            assertThat(f.server.logEvents(id)).anySatisfy(e -> {
                assertThat(e.level()).isEqualTo("INFO");
                assertThat(e.msg()).contains("Process failed, exit code 3");
            });

            // installed packages written back, the original list kept in org_pip; the commit recorded
            JsonNode doc = JSON.valueToTree(f.server.taskJson(id));
            JsonNode requirements = doc.path("script").path("requirements");
            assertThat(requirements.path("pip").asText()).contains("tinypkg==1.0");
            assertThat(requirements.path("org_pip").asText()).isEqualTo("tinypkg==1.0\n");
            assertThat(doc.path("script").path("version_num").asText()).isEqualTo(repo.head());

            // the real agent's call sequence
            assertThat(f.server.requestCount("tasks.started")).isEqualTo(2);
            assertThat(f.server.requestCount("workers.status_report")).isGreaterThanOrEqualTo(2);
            assertThat(f.server.requestCount("tasks.set_requirements")).isEqualTo(1);
            assertThat(f.server.requestCount("tasks.failed")).isEqualTo(1);
            // the node was watched while the task ran: the SDK's machine series on the task's scalars
            assertThat(f.server.scalarEvents(id)).extracting(LocalClearMLServer.ScalarSample::metric)
                    .contains(":monitor:machine");
            // the console saw the same output
            assertThat(f.console).contains("progress 100%", "line 199", "Process failed, exit code 3");
            assertThat(EngineFixture.survivors(id)).isEmpty();
        }
    }

    @Test
    void keepsEveryLineThroughAServerOutageAndReportsTheFinalStatusAfterwards() throws Exception {
        try (EngineFixture f = new EngineFixture(tmp)) {
            TestRepository repo = TestRepository.create(tmp, "chatty");
            repo.write("chatty.py", """
                    import sys, time
                    print("started", flush=True)
                    time.sleep(1.0)
                    for i in range(3000):
                        print("line %d" % i)
                        if i % 100 == 0:
                            time.sleep(0.1)
                    print("finished")
                    """).commit("chatty task");
            repo.push();
            String id = f.task(repo.fileUrl(), "chatty.py", Map.of(), Map.of());
            TaskRun run = f.start(id);
            f.awaitLogLine(id, "started");
            // the server answers 503 for a while, then refuses connections for a while
            f.server.faults().failFor(Fault.SERVICE_UNAVAILABLE, Duration.ofSeconds(2));
            Thread.sleep(2000);
            f.server.refuseConnectionsFor(Duration.ofSeconds(2));

            ExecutionResult result = run.awaitResult();

            assertThat(result.exitCode()).isZero();
            assertThat(f.server.task(id).status()).isEqualTo("completed");
            assertThat(f.server.task(id).statusReason()).isEqualTo("worker execution done");
            List<String> output = new ArrayList<>();
            for (String l : f.server.logLines(id)) {
                if (l.startsWith("line ")) {
                    output.add(l);
                }
            }
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < 3000; i++) {
                expected.add("line " + i);
            }
            assertThat(output).as("every line once, in order").containsExactlyElementsOf(expected);
            assertThat(f.server.logLines(id)).containsOnlyOnce("finished", "started", "Process completed successfully");
            assertThat(f.console).as("the outage was noticed, and its end")
                    .anyMatch(l -> l.contains("Could not send the task log"))
                    .anyMatch(l -> l.contains("reachable again"));
        }
    }

    private static String line(List<String> log, String prefix) {
        return log.stream().filter(l -> l.startsWith(prefix)).findFirst()
                .orElseThrow(() -> new AssertionError("no line starting with " + prefix + " in\n" + String.join("\n", log)));
    }
}
