package io.jenkins.plugins.clearml.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.clearml.localserver.LocalClearMLServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The client's typed calls against the local server, over real HTTP. */
class ClearMLClientTest {

    private LocalClearMLServer server;
    private ClearMLClient client;

    @BeforeEach
    void start() throws Exception {
        server = new LocalClearMLServer().start();
        client = new ClearMLClient(ClientSettings.of(ServerEndpoint.of(server.apiUrl()), server.credentials(), "node-1:gpu0")
                .withRetryWindow(Duration.ofSeconds(5)));
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    @Test
    void logsInOnceAndReusesTheToken() throws Exception {
        String task = server.createTask("reuse token");
        client.ping(task);
        client.ping(task);
        client.getTask(task);
        assertThat(server.requestCount("auth.login")).isEqualTo(1);
        assertThat(server.requestCount("tasks.ping")).isEqualTo(2);
    }

    @Test
    void logsInAgainOnceWhenTheTokenExpires() throws Exception {
        String task = server.createTask("expiring token");
        client.ping(task);
        server.expireTokens();
        client.ping(task);
        assertThat(server.requestCount("auth.login")).isEqualTo(2);
        assertThat(server.requestCount("tasks.ping")).isEqualTo(3);
    }

    @Test
    void renewsTheTokenBeforeItExpires() throws Exception {
        server.tokenLifetime(Duration.ofSeconds(3));
        String task = server.createTask("short token");
        client.ping(task);
        Thread.sleep(2_800); // past 90 % of the life counted from the login, before the server's expiry
        client.ping(task);
        assertThat(server.requestCount("auth.login")).isEqualTo(2);
        assertThat(server.requestCount("tasks.ping")).as("no call was refused with 401").isEqualTo(2);
    }

    @Test
    void threadsShareOneLoginAndOneRelogin() throws Exception {
        String task = server.createTask("shared token");
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(16);
        java.util.concurrent.CyclicBarrier barrier = new java.util.concurrent.CyclicBarrier(16);
        try {
            List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
            for (int i = 0; i < 16; i++) {
                done.add(pool.submit(() -> {
                    barrier.await();
                    client.ping(task);
                    return null;
                }));
            }
            for (java.util.concurrent.Future<?> f : done) {
                f.get();
            }
            server.expireTokens();
            done.clear();
            for (int i = 0; i < 16; i++) {
                done.add(pool.submit(() -> {
                    barrier.await();
                    client.ping(task);
                    return null;
                }));
            }
            for (java.util.concurrent.Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        assertThat(server.requestCount("auth.login")).isEqualTo(2);
    }

    @Test
    void readsATaskWithScriptContainerAndHyperparameters() throws Exception {
        String task = server.createTask("train model", Map.of(
                "script", Map.of("repository", " https://example.com/repo.git ", "branch", "main",
                        "version_num", "abc123", "entry_point", "train.py", "working_dir", ".",
                        "diff", "diff --git a/x b/x\n", "requirements", Map.of("pip", "numpy==1.26\n")),
                "container", Map.of("image", "python:3.11", "arguments", "--ipc=host", "setup_shell_script", "echo hi"),
                "hyperparams", Map.of("Args", Map.of("lr", Map.of("section", "Args", "name", "lr", "value", "0.1"))),
                "runtime", Map.of("host", "x")));
        Task t = client.getTask(task);
        assertThat(t.id()).isEqualTo(task);
        assertThat(t.name()).isEqualTo("train model");
        assertThat(t.status()).isEqualTo(TaskStatus.CREATED);
        assertThat(t.script().repository()).isEqualTo("https://example.com/repo.git");
        assertThat(t.script().versionNum()).isEqualTo("abc123");
        assertThat(t.script().entryPoint()).isEqualTo("train.py");
        assertThat(t.script().diff()).isEqualTo("diff --git a/x b/x\n");
        assertThat(t.script().requirementText("pip")).isEqualTo("numpy==1.26\n");
        assertThat(t.container()).isEqualTo(new TaskContainer("python:3.11", "--ipc=host", "echo hi"));
        assertThat(t.hyperparams()).isEqualTo(Map.of("Args", Map.of("lr", "0.1")));
        assertThat(t.runtime()).containsEntry("host", "x");
        assertThat(client.getHyperParams(task)).isEqualTo(Map.of("Args", Map.of("lr", "0.1")));
    }

    @Test
    void runsTheAgentSequence() throws Exception {
        String queue = client.createQueue("gpu-queue");
        assertThat(client.findQueueByName("GPU-Queue")).map(QueueInfo::id).contains(queue);
        String task = client.createTask(Map.of("name", "sequence"));
        client.enqueue(task, queue, "by test");
        assertThat(client.getQueues(List.of(queue))).singleElement()
                .satisfies(q -> assertThat(q.taskIds()).containsExactly(task));
        client.registerWorker("node-1:gpu0", List.of(queue), 600);
        assertThat(client.getNextTask(queue)).contains(task);
        assertThat(client.getNextTask(queue)).isEmpty();
        client.started(task, "", "pulled by agent", true);
        client.statusReport(new StatusReport("node-1:gpu0", System.currentTimeMillis(), task, queue, List.of(queue),
                new MachineStats(List.of(12.5), null, 2048.0, 14336.0, 61.0, null, 0.0, 0.2, 0.1, 0.05,
                        List.of(90.0), null, null, null), null));
        client.setRequirements(task, Map.of("pip", "numpy\n"));
        client.edit(task, Map.of("script", Map.of("version_num", "def456")));
        client.ping(task);
        client.updateStatusMessage(task, "still running");
        assertThat(client.getTaskState(task)).contains(new TaskState(TaskStatus.IN_PROGRESS, "still running", ""));
        client.completed(task, "done", "Changed by clearml-agent node-1:gpu0");
        Task done = client.getTask(task);
        assertThat(done.status()).isEqualTo(TaskStatus.COMPLETED);
        assertThat(done.script().versionNum()).isEqualTo("def456");
        assertThat(done.script().requirementText("pip")).isEqualTo("numpy\n");
        assertThat(done.lastWorker()).isEqualTo("node-1:gpu0");
        assertThat(server.workers()).singleElement().satisfies(w -> {
            assertThat(w.id()).isEqualTo("node-1:gpu0");
            assertThat(w.machineStats()).containsEntry("memory_used", 2048.0);
        });
        client.unregisterWorker("node-1:gpu0");
        assertThat(server.workers()).isEmpty();
    }

    @Test
    void findsQueuesByExactNameEvenWithRegexCharacters() throws Exception {
        String odd = client.createQueue("gpu.a100 (x)+");
        client.createQueue("gpuXa100 (x)+ more");
        assertThat(client.findQueueByName("gpu.a100 (x)+")).map(QueueInfo::id).contains(odd);
        assertThat(client.findQueueByName("gpu")).isEmpty();
        assertThat(client.findQueueByName("no such queue")).isEmpty();
        assertThat(client.getQueues(List.of())).isEmpty();
    }

    @Test
    void abortOfAWatchedTaskSetsStoppingAndTheAgentStopsIt() throws Exception {
        String task = server.createTask("abort me");
        client.started(task, "", "pulled by agent", true);
        client.statusReport(new StatusReport("node-1:gpu0", System.currentTimeMillis(), task, null, null, null, null));
        client.stop(task, "user abort", false);
        assertThat(client.getTaskState(task)).contains(new TaskState(TaskStatus.IN_PROGRESS, "stopping", "user abort"));
        client.stopped(task, "task was stopped by tasks.stop", "", false);
        assertThat(client.getTaskState(task).orElseThrow().status()).isEqualTo(TaskStatus.STOPPED);
    }

    @Test
    void dequeueRestoresTheStatusAndReturnToFrontPutsATaskAtTheHead() throws Exception {
        String queue = server.defaultQueueId();
        String first = server.createTask("first");
        String second = server.createTask("second");
        client.enqueue(first, null, "");
        client.enqueue(second, null, "");
        assertThat(client.getDefaultQueue().taskIds()).containsExactly(first, second);
        assertThat(client.getNextTask(queue)).contains(first);
        client.returnToFront(queue, first);
        assertThat(server.queueTaskIds(queue)).containsExactly(first, second);
        assertThat(client.dequeue(second, TaskStatus.CREATED)).isEqualTo(1);
        assertThat(server.task(second).status()).isEqualTo("created");
        assertThat(server.queueTaskIds(queue)).containsExactly(first);
        client.failed(first, "no node", "", true);
        assertThat(client.dequeue(first, TaskStatus.CREATED)).isZero();
    }

    @Test
    void illegalTransitionsAndUnknownIdsAreTypedErrors() throws Exception {
        String task = server.createTask("typed errors");
        assertThatThrownBy(() -> client.completed(task, "", ""))
                .isInstanceOfSatisfying(ClearMLException.class, e -> {
                    assertThat(e.isInvalidTaskStatus()).isTrue();
                    assertThat(e.endpoint()).isEqualTo("tasks.completed");
                    assertThat(e.getMessage()).contains("400/110", "current_status=created", "new_status=completed");
                    assertThat(e.isTransient()).isFalse();
                });
        assertThatThrownBy(() -> client.getTask("0123456789abcdef0123456789abcdef"))
                .isInstanceOfSatisfying(ClearMLException.class, e -> assertThat(e.isTaskNotFound()).isTrue());
        assertThatThrownBy(() -> client.started("0123456789abcdef0123456789abcdef", "", "", true))
                .isInstanceOfSatisfying(ClearMLException.class, e -> {
                    assertThat(e.isTaskNotFound()).isTrue();
                    assertThat(e.resultSubcode()).isEqualTo(10);
                });
        assertThat(client.getTaskState("0123456789abcdef0123456789abcdef")).isEmpty();
        assertThatThrownBy(() -> client.getNextTask("no-such-queue"))
                .isInstanceOfSatisfying(ClearMLException.class, e -> assertThat(e.resultSubcode()).isEqualTo(701));
    }

    @Test
    void sendsLogEventsAsJsonLinesAndReadsThemBackInOrder() throws Exception {
        String task = server.createTask("logs");
        long t0 = 1_730_720_000_000L;
        int added = client.addLogEvents(List.of(
                new LogEvent(task, "node-1:gpu0", "info", "line 1\nline 2", t0),
                new LogEvent(task, null, "error", "line 3", t0 + 1)));
        assertThat(added).isEqualTo(2);
        assertThat(server.logLines(task)).containsExactly("line 1", "line 2", "line 3");
        assertThat(server.logEvents(task).get(1).worker()).isEqualTo("node-1:gpu0");
        assertThat(client.getTaskLog(task)).containsExactly("line 1\nline 2", "line 3");
    }

    @Test
    void splitsBatchesAtOneMegabyteAndPagesTheLogBack() throws Exception {
        String task = server.createTask("big logs");
        String chunk = "x".repeat(60 * 1024);
        List<LogEvent> events = new java.util.ArrayList<>();
        for (int i = 0; i < 40; i++) {
            events.add(new LogEvent(task, "w", "info", i + ":" + chunk, 1_000L + i));
        }
        assertThat(client.addLogEvents(events)).isEqualTo(40);
        assertThat(server.requestCount("events.add_batch")).isEqualTo(3);
        List<String> back = client.getTaskLog(task);
        assertThat(back).hasSize(40);
        assertThat(back.get(39)).startsWith("39:");
    }

    @Test
    void scalarEventsUpdateTheTask() throws Exception {
        String task = server.createTask("scalars");
        assertThat(client.addScalarEvents(List.of(
                new ScalarEvent(task, ":monitor:machine", "cpu_usage", 12.5, 3, 1000L),
                new ScalarEvent(task, "loss", "train", 0.5, 7, 1001L)))).isEqualTo(2);
        assertThat(server.scalarEvents(task)).hasSize(2);
        assertThat(server.task(task).lastIteration()).isEqualTo(7);
    }

    @Test
    void logEventsForAnUnknownTaskAreRefused() {
        assertThatThrownBy(() -> client.addLogEvents(List.of(new LogEvent("nope", "w", "info", "x", 1L))))
                .isInstanceOfSatisfying(ClearMLException.class, e -> {
                    assertThat(e.resultCode()).isEqualTo(400);
                    assertThat(e.resultSubcode()).isEqualTo(131);
                    assertThat(e.isTransient()).isFalse();
                });
    }
}
