package io.jenkins.plugins.clearml.step;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.clearml.client.ClearMLClient;
import io.jenkins.plugins.clearml.client.ClearMLException;
import io.jenkins.plugins.clearml.client.ClientSettings;
import io.jenkins.plugins.clearml.client.Credentials;
import io.jenkins.plugins.clearml.client.Task;
import io.jenkins.plugins.clearml.client.TaskStatus;
import io.jenkins.plugins.clearml.config.AgentConfig;
import io.jenkins.plugins.clearml.execution.Console;
import io.jenkins.plugins.clearml.execution.ContainerOptions;
import io.jenkins.plugins.clearml.execution.ExecutionRequest;
import io.jenkins.plugins.clearml.execution.ExecutionResult;
import io.jenkins.plugins.clearml.execution.TaskRun;
import io.jenkins.plugins.clearml.jenkins.ClearmlRunAction;
import io.jenkins.plugins.clearml.jenkins.NodeFacts;
import io.jenkins.plugins.clearml.jenkins.PluginSettings;
import io.jenkins.plugins.clearml.jenkins.ServerSettings;
import io.jenkins.plugins.clearml.jenkins.TaskRecord;
import io.jenkins.plugins.clearml.node.LocalNode;
import io.jenkins.plugins.clearml.node.NodeAccess;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The step's run and abort protocol with the engine and the server stood in for; the engine and client have their
 * own tests with real processes and a real server.
 */
class StepRunnerTest {

    private static final String TASK = "0123456789abcdef0123456789abcdef";
    private static final ServerSettings PROD = new ServerSettings("prod", "http://clearml:8008", "", "", "keys");
    private static final StepPlan PLAN = new StepPlan(PROD, new Credentials("ACCESS", "S3CRET-KEY"), "bot", "git-t0ken",
            new ExecutionRequest(TASK, new ContainerOptions("python:3.11"), List.of("0"), null, true, false));
    private static final String URL = "http://clearml:8080/projects/p1/experiments/" + TASK + "/output/log";

    private final List<String> log = new CopyOnWriteArrayList<>();
    private final ClearmlRunAction action = new ClearmlRunAction();
    private final CompletableFuture<Object> outcome = new CompletableFuture<>();
    private final AtomicInteger completions = new AtomicInteger();
    private final List<ExecutionRequest> started = new CopyOnWriteArrayList<>();
    private volatile AgentConfig startedWith;

    /** The engine's run: ends when told, or when aborted if {@link #honourAbort}. */
    private static final class FakeRun implements TaskRun {
        final CompletableFuture<ExecutionResult> result = new CompletableFuture<>();
        final List<String> aborts = new CopyOnWriteArrayList<>();
        volatile boolean honourAbort = true;

        @Override
        public void abort(String reason) {
            aborts.add(reason);
            if (honourAbort) {
                result.complete(new ExecutionResult(TASK, TaskStatus.STOPPED, -1, reason, URL));
            }
        }

        @Override
        public ExecutionResult awaitResult() throws InterruptedException {
            try {
                return result.get();
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public Optional<ExecutionResult> awaitResult(Duration timeout) {
            return Optional.ofNullable(result.getNow(null));
        }
    }

    private static ClearMLClient client(ClientSettings settings, ClearMLException loginFailure, CountDownLatch loginGate) {
        return new ClearMLClient(settings) {
            @Override
            public void login() throws ClearMLException {
                if (loginGate != null) {
                    try {
                        loginGate.await();
                    } catch (InterruptedException e) {
                        throw new ClearMLException("auth.login", 0, 0, "interrupted", e);
                    }
                }
                if (loginFailure != null) {
                    throw loginFailure;
                }
            }

            @Override
            public Task getTask(String taskId) throws ClearMLException {
                if (!taskId.equals(TASK)) {
                    throw new ClearMLException("tasks.get_by_id", 400, 101, "Invalid task id");
                }
                return new Task(TASK, "train resnet", "p1", TaskStatus.QUEUED, "", "", null, null, null, null, null, null);
            }
        };
    }

    private StepRunner runner(StepPlan plan, FakeRun run, ClearMLException loginFailure, CountDownLatch loginGate) {
        StepRunner.Records records = new StepRunner.Records() {
            @Override
            public int add(TaskRecord record) {
                return action.add(record);
            }

            @Override
            public void update(int position, UnaryOperator<TaskRecord> change) {
                action.change(position, change);
            }
        };
        StepRunner.Completion completion = new StepRunner.Completion() {
            @Override
            public void succeeded(Map<String, Object> value) {
                completions.incrementAndGet();
                outcome.complete(value);
            }

            @Override
            public void failed(StepRunner.Failure failure) {
                completions.incrementAndGet();
                outcome.complete(failure);
            }
        };
        StepRunner.NodeOpener node = () -> new StepRunner.OpenedNode(
                new NodeAccess(LocalNode.get(), LocalNode.get(), Map.of(), "gpu-7"), new NodeFacts("/home/j", "/tmp", "gpu-7"));
        StepRunner.RunStarter starter = (client, config, access, request, console) -> {
            started.add(request);
            startedWith = config;
            console.line("cloning as bot:git-t0ken with key S3CRET-KEY");
            return run;
        };
        return new StepRunner(plan, new PluginSettings(List.of(PROD), "", "", List.of()), node,
                settings -> client(settings, loginFailure, loginGate), starter, records, log::add, completion,
                Duration.ofMillis(200));
    }

    private Object awaitOutcome() throws Exception {
        return outcome.get(30, TimeUnit.SECONDS);
    }

    @Test
    void aCompletedTaskReturnsItsMapAndIsRecordedOnTheBuild() throws Exception {
        FakeRun run = new FakeRun();
        StepRunner runner = runner(PLAN, run, null, null);
        runner.startThread("test");
        run.result.complete(new ExecutionResult(TASK, TaskStatus.COMPLETED, 0, "", URL));

        assertThat(awaitOutcome()).isEqualTo(Map.of("id", TASK, "status", "completed", "url", URL));
        assertThat(started).containsExactly(PLAN.request());
        assertThat(startedWith.git().gitUser()).isEqualTo("bot");
        assertThat(startedWith.workerName()).isEqualTo("gpu-7");
        TaskRecord record = action.getTasks().get(0);
        assertThat(record.getName()).isEqualTo("train resnet");
        assertThat(record.getStatus()).isEqualTo("completed");
        assertThat(record.getUrl()).isEqualTo(URL);
        assertThat(record.isRunning()).isFalse();
        assertThat(log).contains("[ClearML] Task 'train resnet': " + URL, "cloning as bot:**** with key ****")
                .noneMatch(l -> l.contains("git-t0ken") || l.contains("S3CRET-KEY"));
        assertThat(completions).hasValue(1);
    }

    @Test
    void aFailedTaskFailsTheStepWithOneLine() throws Exception {
        FakeRun run = new FakeRun();
        runner(PLAN, run, null, null).startThread("test");
        run.result.complete(new ExecutionResult(TASK, TaskStatus.FAILED, 2, "Script exited with code 2", URL));
        StepRunner.Failure failure = (StepRunner.Failure) awaitOutcome();
        assertThat(failure.kind()).isEqualTo(StepRunner.Failure.Kind.TASK_FAILED);
        assertThat(failure.message()).isEqualTo("ClearML task " + TASK + " 'train resnet' ended failed: Script exited "
                + "with code 2 (" + URL + ")");
        assertThat(ClearmlExecuteExecution.toThrowable(failure)).isInstanceOf(hudson.AbortException.class)
                .hasMessage(failure.message());
    }

    @Test
    void aTaskStoppedInClearmlAbortsTheBuild() throws Exception {
        FakeRun run = new FakeRun();
        runner(PLAN, run, null, null).startThread("test");
        run.result.complete(new ExecutionResult(TASK, TaskStatus.STOPPED, -1, "aborted by user", URL));
        StepRunner.Failure failure = (StepRunner.Failure) awaitOutcome();
        assertThat(failure.kind()).isEqualTo(StepRunner.Failure.Kind.TASK_STOPPED);
        assertThat(action.getTasks().get(0).getStatus()).isEqualTo("stopped");
    }

    @Test
    void refusedKeysFailBeforeAnythingRuns() throws Exception {
        runner(PLAN, new FakeRun(), new ClearMLException("auth.login", 401, 20, "Unauthorized"), null).startThread("t");
        StepRunner.Failure failure = (StepRunner.Failure) awaitOutcome();
        assertThat(failure.kind()).isEqualTo(StepRunner.Failure.Kind.INPUT);
        assertThat(failure.message()).isEqualTo("ClearML server 'prod' refused the access key of credentials 'keys': "
                + "update them in Manage Jenkins \u00bb Credentials.");
        assertThat(started).isEmpty();
        assertThat(action.getTasks()).isEmpty();
    }

    @Test
    void anUnknownTaskFailsBeforeAnythingRuns() throws Exception {
        StepPlan plan = new StepPlan(PROD, PLAN.keys(), null, null, ExecutionRequest.venv("ffff"));
        runner(plan, new FakeRun(), null, null).startThread("t");
        StepRunner.Failure failure = (StepRunner.Failure) awaitOutcome();
        assertThat(failure.message()).startsWith("ClearML server 'prod' has no task ffff");
        assertThat(started).isEmpty();
    }

    @Test
    void abortingTheBuildStopsTheTaskNamingJenkinsAndWaitsForTheCleanup() throws Exception {
        FakeRun run = new FakeRun();
        StepRunner runner = runner(PLAN, run, null, null);
        runner.startThread("test");
        while (started.isEmpty()) {
            Thread.sleep(10);
        }
        InterruptedException cause = new InterruptedException("build aborted");
        runner.stop(cause, "Aborted from Jenkins: build job #7 was aborted");

        StepRunner.Failure failure = (StepRunner.Failure) awaitOutcome();
        assertThat(run.aborts).containsExactly("Aborted from Jenkins: build job #7 was aborted");
        assertThat(failure.kind()).isEqualTo(StepRunner.Failure.Kind.ABORTED);
        assertThat(failure.cause()).isSameAs(cause);
        assertThat(ClearmlExecuteExecution.toThrowable(failure)).isSameAs(cause);
        assertThat(action.getTasks().get(0).getStatus()).isEqualTo("stopped");
        assertThat(completions).hasValue(1);
    }

    @Test
    void anAbortEndsTheStepEvenIfTheCleanupNeverEnds() throws Exception {
        FakeRun run = new FakeRun();
        run.honourAbort = false;
        StepRunner runner = runner(PLAN, run, null, null);
        runner.startThread("test");
        while (started.isEmpty()) {
            Thread.sleep(10);
        }
        runner.stop(new InterruptedException("abort"), "Aborted from Jenkins");
        StepRunner.Failure failure = (StepRunner.Failure) awaitOutcome();
        assertThat(failure.kind()).isEqualTo(StepRunner.Failure.Kind.ABORTED);
        assertThat(run.aborts).hasSize(1);
        // The engine answering later does not end the step a second time.
        run.result.complete(new ExecutionResult(TASK, TaskStatus.STOPPED, -1, "late", URL));
        assertThat(completions).hasValue(1);
    }

    @Test
    void aSecondAbortEndsTheStepAtOnce() throws Exception {
        FakeRun run = new FakeRun();
        run.honourAbort = false;
        StepRunner runner = runner(PLAN, run, null, null);
        runner.startThread("test");
        while (started.isEmpty()) {
            Thread.sleep(10);
        }
        runner.stop(new InterruptedException("first"), "Aborted from Jenkins");
        InterruptedException second = new InterruptedException("second");
        runner.stop(second, "Aborted from Jenkins");
        assertThat(runner.isDone()).isTrue();
        assertThat(((StepRunner.Failure) outcome.getNow(null)).cause()).isSameAs(second);
        assertThat(completions).hasValue(1);
    }

    @Test
    void anAbortWhileLoggingInStopsBeforeTheTaskStarts() throws Exception {
        CountDownLatch neverOpens = new CountDownLatch(1);
        StepRunner runner = runner(PLAN, new FakeRun(), null, neverOpens);
        runner.startThread("test");
        InterruptedException cause = new InterruptedException("abort");
        runner.stop(cause, "Aborted from Jenkins");
        StepRunner.Failure failure = (StepRunner.Failure) awaitOutcome();
        assertThat(failure.kind()).isEqualTo(StepRunner.Failure.Kind.ABORTED);
        assertThat(failure.cause()).isSameAs(cause);
        assertThat(started).isEmpty();
        assertThat(action.getTasks()).isEmpty();
    }
}
