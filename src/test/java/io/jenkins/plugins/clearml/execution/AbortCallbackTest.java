package io.jenkins.plugins.clearml.execution;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.clearml.client.TaskStatus;
import io.jenkins.plugins.clearml.testsupport.git.TestRepository;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SDK's abort callback (reference 2.9, 2.10), with a real Python task that behaves as the ClearML SDK does: it
 * records {@code runtime._abort_callback_timeout} and {@code _abort_poll_freq} through the API, watches its own
 * status, runs its "callback" when it reads "stopping", then sets {@code _abort_callback_completed}. It ignores
 * SIGTERM and never exits by itself, so only the agent's kill ends it.
 */
class AbortCallbackTest {

    @TempDir
    Path tmp;

    private static final String SDK_LIKE = """
            import argparse, base64, json, os, signal, sys, time, urllib.request
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
            parser = argparse.ArgumentParser()
            parser.add_argument("--mode")
            parser.add_argument("--release", default="")
            args = parser.parse_args()
            mode = args.mode
            api = os.environ["CLEARML_API_HOST"].rstrip("/") + "/v2.26/"
            task = os.environ["CLEARML_TASK_ID"]
            keys = os.environ["CLEARML_API_ACCESS_KEY"] + ":" + os.environ["CLEARML_API_SECRET_KEY"]
            token = None

            def call(endpoint, body):
                auth = "Bearer " + token if token else "Basic " + base64.b64encode(keys.encode()).decode()
                req = urllib.request.Request(api + endpoint, data=json.dumps(body).encode(),
                                             headers={"Content-Type": "application/json", "Authorization": auth})
                with urllib.request.urlopen(req) as r:
                    return json.loads(r.read())["data"]

            def me(*fields):
                return call("tasks.get_all", {"id": [task], "only_fields": list(fields)})["tasks"][0]

            def set_runtime(props):  # the SDK's Task._set_runtime_properties: read, merge, tasks.edit
                runtime = me("runtime").get("runtime") or {}
                runtime.update(props)
                call("tasks.edit", {"task": task, "runtime": runtime, "force": True})

            token = call("auth.login", {})["token"]
            set_runtime({"_abort_callback_timeout": 30.0, "_abort_poll_freq": 1.0, "_abort_callback_completed": ""})
            print("registered", flush=True)
            if mode == "selfkill":
                set_runtime({"_abort_callback_completed": 1})
                os.kill(os.getpid(), signal.SIGKILL)
            done = False
            while True:
                t = me("status", "status_message")
                if not done and t["status"] == "in_progress" and "stopping" in (t.get("status_message") or ""):
                    print("callback: saving", flush=True)
                    if mode == "complete":
                        while not os.path.exists(args.release):  # the test releases it once the agent waits
                            time.sleep(0.1)
                        print("callback: done", flush=True)
                        time.sleep(0.5)  # let the agent forward the line before it can see the flag
                        set_runtime({"_abort_callback_completed": 1})
                    done = True
                time.sleep(0.2)
            """;

    private String task(EngineFixture f, String mode) {
        TestRepository repo = TestRepository.create(tmp, "sdk-like-" + mode);
        repo.write("sdk_like.py", SDK_LIKE).commit("sdk-like task");
        repo.push();
        return f.task(repo.fileUrl(), "sdk_like.py", Map.of(), Map.of("mode", mode, "release", release().toString()));
    }

    /** Created by the test to let the "complete" task finish its callback. */
    private Path release() {
        return tmp.resolve("release-callback");
    }

    @Test
    void anAbortWaitsForTheCallbackToCompleteThenKillsAndMarksStopped() throws Exception {
        try (EngineFixture f = new EngineFixture(tmp)) {
            String id = task(f, "complete");
            TaskRun run = f.start(id);
            f.awaitLogLine(id, "registered");

            f.server.abort(id);
            f.awaitLogLine(id, "### Task abort callback timeout set, waiting for max 31.0 sec ###");
            f.awaitLogLine(id, "callback: saving");
            assertThat(run.awaitResult(Duration.ofSeconds(1))).as("the agent waits for the callback").isEmpty();
            Files.createFile(release());

            ExecutionResult result = run.awaitResult();
            assertThat(result.status()).isEqualTo(TaskStatus.STOPPED);
            assertThat(f.server.task(id).status()).isEqualTo("stopped");
            assertThat(f.server.task(id).statusReason()).isEqualTo("task was stopped by tasks.stop");
            List<String> log = f.server.logLines(id);
            int waiting = indexOf(log, "### Task abort callback timeout set, waiting for max 31.0 sec ###");
            int done = indexOf(log, "callback: done");
            int completed = indexStartingWith(log, "### Task abort callback completed in ");
            int killed = indexStartingWith(log, "User aborted: stopping task (" + id + ")");
            assertThat(waiting).as("the wait was announced").isNotNegative();
            assertThat(done).as("the process kept running through its callback").isGreaterThan(waiting);
            assertThat(completed).as("the completion was seen after the callback set it").isGreaterThan(done);
            assertThat(killed).as("killed only after the callback").isGreaterThan(completed);
            assertThat(indexOf(log, "Process aborted by user")).isGreaterThan(killed);
            assertThat(EngineFixture.survivors(id)).as("task process killed").isEmpty();
        }
    }

    @Test
    void aCallbackThatNeverCompletesIsCutOffAtTheAgentsMaximum() throws Exception {
        try (EngineFixture f = new EngineFixture(tmp)) {
            String id = task(f, "never");
            TaskRun run = f.start(id, f.config.withAbortCallbackMaxTimeout(Duration.ofSeconds(2)));
            f.awaitLogLine(id, "registered");

            f.server.abort(id);

            ExecutionResult result = run.awaitResult();
            assertThat(result.status()).isEqualTo(TaskStatus.STOPPED);
            assertThat(f.server.task(id).status()).isEqualTo("stopped");
            List<String> log = f.server.logLines(id);
            int waiting = indexOf(log, "### Task abort callback timeout set, waiting for max 2.0 sec ###");
            int saving = indexOf(log, "callback: saving");
            int timedOut = indexStartingWith(log, "### Task abort callback timed out [timeout: 2.0, elapsed: ");
            assertThat(waiting).isNotNegative();
            assertThat(saving).as("the task saw the abort and went on running").isNotNegative();
            assertThat(timedOut).isGreaterThan(Math.max(waiting, saving));
            assertThat(indexStartingWith(log, "User aborted: stopping task")).isGreaterThan(timedOut);
            assertThat(EngineFixture.survivors(id)).isEmpty();
        }
    }

    @Test
    void aTaskThatKilledItselfAfterItsCallbackCompletedCountsAsStopped() throws Exception {
        try (EngineFixture f = new EngineFixture(tmp)) {
            String id = task(f, "selfkill");

            ExecutionResult result = f.execute(id);

            assertThat(result.exitCode()).isEqualTo(AbortCallback.KILLED);
            assertThat(result.status()).isEqualTo(TaskStatus.STOPPED);
            assertThat(f.server.task(id).status()).isEqualTo("stopped");
            assertThat(f.server.task(id).statusReason()).isEqualTo("task was stopped by tasks.stop");
            assertThat(f.server.logLines(id)).contains("Process aborted by user")
                    .noneMatch(l -> l.startsWith("Process failed"));
        }
    }

    @Test
    void runtimeValuesAreReadAsTheSdkWritesThem() {
        assertThat(AbortCallback.number(null)).isNaN();
        assertThat(AbortCallback.number("-1")).isEqualTo(-1.0);
        assertThat(AbortCallback.isSet("")).isFalse();
        assertThat(AbortCallback.isSet(1)).isTrue();
        assertThat(AbortCallback.isSet("1")).isTrue();
        assertThat(AbortCallback.pythonNumber(31)).isEqualTo("31.0");
        assertThat(AbortCallback.pythonNumber(2.5)).isEqualTo("2.5");
    }

    private static int indexOf(List<String> log, String line) {
        return log.indexOf(line);
    }

    private static int indexStartingWith(List<String> log, String prefix) {
        for (int i = 0; i < log.size(); i++) {
            if (log.get(i).startsWith(prefix)) {
                return i;
            }
        }
        return -1;
    }
}
