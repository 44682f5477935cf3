package io.jenkins.plugins.clearml.execution;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.clearml.client.TaskStatus;
import io.jenkins.plugins.clearml.testsupport.git.TestRepository;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An abort, from the web UI or from Jenkins, kills the whole process tree and marks the task stopped. */
class AbortTest {

    @TempDir
    Path tmp;

    /** Starts a grandchild that would outlive a naive kill, then waits forever. */
    private static final String FOREVER = """
            import subprocess, sys, time
            marker = sys.argv[1] if len(sys.argv) > 1 else ""
            subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)", marker.replace("--marker=", "")])
            print("started", flush=True)
            while True:
                time.sleep(0.2)
            """;

    private String foreverTask(EngineFixture f, String marker) {
        TestRepository repo = TestRepository.create(tmp, "forever");
        repo.write("forever.py", FOREVER).commit("forever");
        repo.push();
        return f.task(repo.fileUrl(), "forever.py", Map.of(), Map.of("marker", marker));
    }

    @Test
    void abortInTheWebUiKillsTheTreeAndMarksTheTaskStopped() throws Exception {
        try (EngineFixture f = new EngineFixture(tmp)) {
            String marker = "ui-abort-" + System.nanoTime();
            String id = foreverTask(f, marker);
            TaskRun run = f.start(id);
            f.awaitLogLine(id, "started");
            assertThat(ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("").contains(marker)
                    && p.info().commandLine().orElse("").contains("time.sleep(600)")).count())
                    .as("the grandchild runs").isEqualTo(1);

            f.server.abort(id); // tasks.stop, as the UI's Abort: the server writes "stopping", we must act

            ExecutionResult result = run.awaitResult();
            assertThat(result.status()).isEqualTo(TaskStatus.STOPPED);
            assertThat(result.exitCode()).isNotZero();
            assertThat(f.server.task(id).status()).isEqualTo("stopped");
            assertThat(f.server.task(id).statusReason()).isEqualTo("task was stopped by tasks.stop");
            assertThat(f.server.logEvents(id)).anySatisfy(e -> {
                assertThat(e.level()).isEqualTo("ERROR");
                assertThat(e.msg()).contains("User aborted: stopping task (" + id + ")");
            });
            assertThat(EngineFixture.survivors(marker)).as("grandchild killed").isEmpty();
            assertThat(EngineFixture.survivors(id)).as("task process killed").isEmpty();
        }
    }

    @Test
    void taskRunAbortKillsTheTreeAndMarksTheTaskStoppedWithTheReason() throws Exception {
        try (EngineFixture f = new EngineFixture(tmp)) {
            String marker = "run-abort-" + System.nanoTime();
            String id = foreverTask(f, marker);
            TaskRun run = f.start(id);
            f.awaitLogLine(id, "started");

            run.abort("Jenkins build #7 aborted");

            ExecutionResult result = run.awaitResult();
            assertThat(result.status()).isEqualTo(TaskStatus.STOPPED);
            assertThat(f.server.task(id).status()).isEqualTo("stopped");
            assertThat(f.server.task(id).statusReason()).isEqualTo("Jenkins build #7 aborted");
            assertThat(EngineFixture.survivors(marker)).isEmpty();
            assertThat(EngineFixture.survivors(id)).isEmpty();
        }
    }

    @Test
    void statusChangedByOthersKillsWithoutAStatusCall() throws Exception {
        try (EngineFixture f = new EngineFixture(tmp)) {
            String marker = "changed-" + System.nanoTime();
            String id = foreverTask(f, marker);
            TaskRun run = f.start(id);
            f.awaitLogLine(id, "started");

            f.server.setTaskStatus(id, "failed");

            ExecutionResult result = run.awaitResult();
            assertThat(result.status()).isEqualTo(TaskStatus.FAILED);
            assertThat(f.server.task(id).status()).isEqualTo("failed");
            assertThat(f.server.requestCount("tasks.stopped")).isZero();
            assertThat(f.server.requestCount("tasks.failed")).isZero();
            assertThat(EngineFixture.survivors(marker)).isEmpty();
        }
    }
}
