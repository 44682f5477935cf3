package io.jenkins.plugins.clearml.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.clearml.client.MachineStats;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The dispatch core against the in-process ClearML server, one tick at a time. */
class DispatcherTest {

    private DispatchFixture fx;
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        fx = new DispatchFixture();
    }

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : closeables) {
            c.close();
        }
        fx.close();
    }

    private Dispatcher dispatcher(Capacity capacity, TaskRunner runner, DispatchSettings settings,
            DispatchTemplate... templates) {
        Dispatcher d = new Dispatcher(fx.client, capacity, runner, List.of(templates), settings, null, Clock.systemUTC());
        closeables.add(d);
        return d;
    }

    private SimulatedTaskRunner sim(Duration runTime) {
        SimulatedTaskRunner r = new SimulatedTaskRunner(fx.client, runTime, 4);
        closeables.add(0, r);
        return r;
    }

    private static List<String> queueNames(List<PlacedTask> tasks) {
        return tasks.stream().map(t -> t.queue().name()).toList();
    }

    @Test
    void priorityOrderServesTheFirstQueueFirst() throws Exception {
        QueueRef a = fx.queue("q-a");
        QueueRef b = fx.queue("q-b");
        fx.enqueue(b, 3);
        fx.enqueue(a, 3);
        NodePool pool = new NodePool();
        pool.put(DispatchFixture.node("n1", 4));
        SimulatedTaskRunner runner = sim(Duration.ofHours(1));
        Dispatcher d = dispatcher(pool, runner, DispatchSettings.defaults(),
                new DispatchTemplate("t", List.of(a, b), "", 1, null, 0));

        d.tick();

        assertThat(queueNames(runner.handedOver)).containsExactly("q-a", "q-a", "q-a", "q-b");
        assertThat(fx.server.queueTaskIds(b.id())).hasSize(2);
    }

    @Test
    void fairOrderServesQueuesInTurn() throws Exception {
        QueueRef a = fx.queue("q-a");
        QueueRef b = fx.queue("q-b");
        QueueRef c = fx.queue("q-c");
        fx.enqueue(a, 3);
        fx.enqueue(b, 3);
        fx.enqueue(c, 1);
        NodePool pool = new NodePool();
        pool.put(DispatchFixture.node("n1", 5));
        SimulatedTaskRunner runner = sim(Duration.ofHours(1));
        Dispatcher d = dispatcher(pool, runner, DispatchSettings.defaults().withOrder(QueueOrder.FAIR),
                new DispatchTemplate("t", List.of(a, b, c), "", 1, null, 0));

        d.tick();

        assertThat(queueNames(runner.handedOver)).containsExactly("q-a", "q-b", "q-c", "q-a", "q-b");
    }

    @Test
    void noTaskLeavesAQueueWhenNothingCanRunIt() throws Exception {
        QueueRef a = fx.queue("q-a");
        List<String> tasks = fx.enqueue(a, 5);
        NodePool pool = new NodePool();
        pool.put(DispatchFixture.node("small", 1));
        SimulatedTaskRunner runner = sim(Duration.ofHours(1));
        Dispatcher d = dispatcher(pool, runner, DispatchSettings.defaults(),
                new DispatchTemplate("big", List.of(a), "", 2, null, 0));
        fx.server.resetRequestCounts();

        d.tick();
        d.tick();

        assertThat(fx.server.queueTaskIds(a.id())).containsExactlyElementsOf(tasks);
        assertThat(fx.server.requestCount("queues.get_next_task")).isZero();
        assertThat(fx.server.requestCount("queues.get_all")).isEqualTo(2);
    }

    @Test
    void anIdleTickIsOneRequestWhateverTheNumberOfNodes() throws Exception {
        List<QueueRef> queues = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            queues.add(fx.queue(String.format("q%02d", i)));
        }
        NodePool pool = new NodePool();
        for (int i = 0; i < 100; i++) {
            pool.put(DispatchFixture.node("n" + i, 8));
        }
        Dispatcher d = dispatcher(pool, sim(Duration.ZERO), DispatchSettings.defaults(),
                new DispatchTemplate("t", queues, "", 1, null, 0));
        fx.server.resetRequestCounts();

        for (int i = 0; i < 10; i++) {
            d.tick();
        }

        assertThat(fx.server.requestCounts().entrySet().stream().filter(e -> e.getValue() > 0).toList())
                .containsExactly(Map.entry("queues.get_all", 10L));
    }

    @Test
    void claimsLikeTheAgentAndReportsAsAWorkerWithItsGpus() throws Exception {
        QueueRef a = fx.queue("q-a");
        String task = fx.enqueue(a, 1).get(0);
        NodePool pool = new NodePool();
        pool.put(DispatchFixture.node("gpubox", 4));
        SimulatedTaskRunner runner = sim(Duration.ofHours(1));
        Dispatcher d = dispatcher(pool, runner, DispatchSettings.defaults(),
                new DispatchTemplate("t", List.of(a), "", 2, null, 0));

        d.tick();
        awaitTrue(() -> runner.claims.containsKey(task));

        assertThat(fx.server.task(task).status()).isEqualTo("in_progress");
        assertThat(fx.server.task(task).statusMessage()).isEqualTo("pulled by agent");
        assertThat(fx.server.task(task).lastWorker()).isEqualTo("gpubox:gpu0,1");
        assertThat(fx.server.workers()).anySatisfy(w -> {
            assertThat(w.id()).isEqualTo("gpubox:gpu0,1");
            assertThat(w.task()).isEqualTo(task);
            assertThat(w.queues()).containsExactly(a.id());
        });
        // the worker reports with the task, so an Abort in the UI goes through it ("stopping") for the run to act on
        fx.server.abort(task);
        assertThat(fx.server.task(task).status()).isEqualTo("in_progress");
        assertThat(fx.server.task(task).statusMessage()).isEqualTo("stopping");
    }

    @Test
    void busyWorkersReportMachineStatsPeriodically() throws Exception {
        QueueRef a = fx.queue("q-a");
        String task = fx.enqueue(a, 1).get(0);
        NodePool pool = new NodePool();
        pool.put(DispatchFixture.node("statbox", 1));
        SimulatedTaskRunner runner = sim(Duration.ofHours(1));
        MachineStats stats = new MachineStats(List.of(42.0), null, 1000.0, 2000.0, null, null, null, null, null, null,
                List.of(97.0), null, null, null);
        Dispatcher d = new Dispatcher(fx.client, pool, runner,
                List.of(new DispatchTemplate("t", List.of(a), "", 1, null, 0)),
                DispatchSettings.defaults().withStatusReportInterval(Duration.ofMillis(200)), () -> stats,
                Clock.systemUTC());
        closeables.add(d);

        d.tick();
        awaitTrue(() -> fx.server.workers().stream().anyMatch(w -> !w.machineStats().isEmpty()));

        var worker = fx.server.workers().get(0);
        assertThat(worker.id()).isEqualTo("statbox:gpu0");
        assertThat(worker.task()).isEqualTo(task);
        assertThat(worker.machineStats()).containsEntry("cpu_usage", List.of(42.0)).containsEntry("gpu_usage", List.of(97.0));
    }

    @Test
    void aRunThatCannotStartGoesBackToTheFrontWithTheReason() throws Exception {
        QueueRef a = fx.queue("q-a");
        List<String> tasks = fx.enqueue(a, 3);
        NodePool pool = new NodePool();
        pool.put(DispatchFixture.node("n1", 1));
        TaskRunner failing = (task, start) -> completed(RunOutcome.notStarted("image foo:1 could not be pulled"));
        Dispatcher d = dispatcher(pool, failing, DispatchSettings.defaults(),
                new DispatchTemplate("t", List.of(a), "", 1, null, 0));

        d.tick();

        assertThat(fx.server.queueTaskIds(a.id())).containsExactlyElementsOf(tasks);
        assertThat(fx.status(tasks.get(0))).isEqualTo("queued");
        assertThat(fx.server.task(tasks.get(0)).statusMessage())
                .isEqualTo("returned to the front of queue q-a: image foo:1 could not be pulled");
        assertThat(d.status().returnedToQueue()).isEqualTo(1);
        assertThat(pool.usage().get(0).busyGpus()).isEmpty();

        // the queue rests, then the same head task is tried again; the third failed start fails the task
        for (int i = 0; i < 2; i++) {
            Thread.sleep(DispatchSettings.defaults().pollInterval().toMillis() * 5);
            d.tick();
        }
        assertThat(fx.status(tasks.get(0))).isEqualTo("failed");
        assertThat(fx.server.task(tasks.get(0)).statusReason())
                .isEqualTo("could not start after 3 attempts: image foo:1 could not be pulled");
        assertThat(fx.server.queueTaskIds(a.id())).containsExactlyElementsOf(tasks.subList(1, 3));
    }

    @Test
    void aTaskAbortedWhileWaitingForANodeIsNotRun() throws Exception {
        QueueRef a = fx.queue("q-a");
        String task = fx.enqueue(a, 1).get(0);
        NodePool pool = new NodePool();
        LabelAdmission admission = new LabelAdmission(pool, 1);
        CompletableFuture<RunStart> handed = new CompletableFuture<>();
        CompletableFuture<RunOutcome> outcome = new CompletableFuture<>();
        TaskRunner waiting = (t, start) -> {
            handed.complete(start);
            return handle(outcome);
        };
        DispatchSettings settings = new DispatchSettings(QueueOrder.PRIORITY, Duration.ofMillis(500),
                Duration.ofSeconds(30), 600, Duration.ofSeconds(60), NodeLossPolicy.FAIL, Duration.ZERO);
        Dispatcher d = dispatcher(admission, waiting, settings, new DispatchTemplate("t", List.of(a), "gpu", 1, null, 0));

        d.tick();
        assertThat(fx.server.queueTaskIds(a.id())).isEmpty();
        assertThat(admission.waiting(d.templates().get(0))).isEqualTo(1);

        fx.server.abort(task); // the user aborts it in the web UI while it waits for a node
        pool.put(DispatchFixture.node("k8s-node", 1));
        RunStart start = handed.get(5, TimeUnit.SECONDS);
        RunNotStartedException refused = org.junit.jupiter.api.Assertions.assertThrows(RunNotStartedException.class,
                () -> start.begin("k8s-node"));
        outcome.complete(refused.outcome());

        assertThat(refused.outcome().kind()).isEqualTo(RunOutcome.Kind.SKIPPED);
        assertThat(fx.status(task)).isEqualTo("stopped");
        assertThat(fx.server.queueTaskIds(a.id())).isEmpty();
        assertThat(admission.waiting(d.templates().get(0))).isZero();
        assertThat(pool.usage().get(0).busyGpus()).isEmpty();
    }

    @Test
    void throughTheJenkinsQueueARunIsBoundToTheNodeJenkinsPicksAndOnlyALimitedNumberWaitForANode() throws Exception {
        QueueRef a = fx.queue("q-a");
        List<String> tasks = fx.enqueue(a, 5);
        NodePool pool = new NodePool();
        LabelAdmission admission = new LabelAdmission(pool, 2);
        List<RunStart> starts = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<CompletableFuture<RunOutcome>> outcomes = new java.util.concurrent.CopyOnWriteArrayList<>();
        TaskRunner jenkinsLike = (t, start) -> {
            starts.add(start);
            CompletableFuture<RunOutcome> o = new CompletableFuture<>();
            outcomes.add(o);
            return handle(o);
        };
        DispatchTemplate t = new DispatchTemplate("t", List.of(a), "gpu", 2, null, 0);
        Dispatcher d = dispatcher(admission, jenkinsLike, DispatchSettings.defaults(), t);

        d.tick(); // no node at all: two tasks may wait for one to be provisioned
        assertThat(starts).hasSize(2);
        assertThat(fx.server.queueTaskIds(a.id())).containsExactlyElementsOf(tasks.subList(2, 5));

        pool.put(new NodeSpec("k8s-gpu-1", java.util.Set.of("gpu"), 4, List.of("0", "1", "2", "3")));
        ClaimedRun first = starts.get(0).begin("k8s-gpu-1");
        ClaimedRun second = starts.get(1).begin("k8s-gpu-1");
        assertThat(first.gpus()).containsExactly("0", "1");
        assertThat(second.gpus()).containsExactly("2", "3");
        assertThat(first.workerId()).isEqualTo("k8s-gpu-1:gpu0,1");
        assertThat(fx.status(first.taskId())).isEqualTo("in_progress");

        d.tick(); // the node is full: two more may wait for another node, the fifth stays in ClearML
        assertThat(starts).hasSize(4);
        assertThat(fx.server.queueTaskIds(a.id())).containsExactly(tasks.get(4));

        outcomes.get(0).complete(RunOutcome.finished("completed"));
        awaitTrue(() -> pool.usage().get(0).busyGpus().size() == 2);
        assertThat(starts.get(2).begin("k8s-gpu-1").gpus()).containsExactly("0", "1");
    }

    @Test
    void aNodeTheJenkinsQueueOverfilledRefusesTheRunWithoutClaimingItAndAnotherNodeMayTakeIt() throws Exception {
        QueueRef a = fx.queue("q-a");
        String task = fx.enqueue(a, 1).get(0);
        NodePool pool = new NodePool();
        pool.put(new NodeSpec("busy", java.util.Set.of("gpu"), 2, List.of("0")));
        pool.put(new NodeSpec("free", java.util.Set.of("gpu"), 1, List.of("0")));
        LabelAdmission admission = new LabelAdmission(pool, 0);
        List<RunStart> starts = new java.util.concurrent.CopyOnWriteArrayList<>();
        TaskRunner jenkinsLike = (t, start) -> {
            starts.add(start);
            return handle(new CompletableFuture<>());
        };
        Dispatcher d = dispatcher(admission, jenkinsLike, DispatchSettings.defaults(),
                new DispatchTemplate("t", List.of(a), "gpu", 1, null, 0));
        d.tick();
        assertThat(starts).hasSize(1);
        // another run took the only GPU of "busy" first, as in one pass of the Jenkins queue
        assertThat(pool.bind(d.templates().get(0), Placement.unbound(), "busy")).isPresent();

        RunNotStartedException refused = org.assertj.core.api.Assertions.catchThrowableOfType(
                () -> starts.get(0).begin("busy"), RunNotStartedException.class);
        assertThat(refused.mayTryAnotherNode()).isTrue();
        assertThat(fx.status(task)).as("not claimed").isEqualTo("queued");

        ClaimedRun run = starts.get(0).begin("free");
        assertThat(run.workerId()).isEqualTo("free:gpu0");
        assertThat(fx.status(task)).isEqualTo("in_progress");
    }

    @Test
    void nothingIsPoppedWhilePaused() throws Exception {
        QueueRef a = fx.queue("q-a");
        List<String> tasks = fx.enqueue(a, 2);
        java.util.concurrent.atomic.AtomicBoolean quietingDown = new java.util.concurrent.atomic.AtomicBoolean(true);
        NodePool pool = new NodePool();
        pool.put(DispatchFixture.node("n1", 4));
        SimulatedTaskRunner runner = sim(Duration.ofHours(1));
        Dispatcher d = dispatcher(pool, runner, DispatchSettings.defaults(),
                new DispatchTemplate("t", List.of(a), "", 1, null, 0));
        d.pauseWhile(quietingDown::get);

        d.tick();
        assertThat(fx.server.queueTaskIds(a.id())).containsExactlyElementsOf(tasks);

        quietingDown.set(false);
        d.tick();
        assertThat(fx.server.queueTaskIds(a.id())).hasSizeLessThan(2);
    }

    @Test
    void queuesAreResolvedByNameOrIdAsTheAgentDoes() throws Exception {
        QueueRef train = fx.queue("Train-High");
        QueueRef other = fx.queue("other");
        QueueResolver resolver = new QueueResolver(fx.client);

        assertThat(resolver.resolve(List.of("train-high", other.id())))
                .containsExactly(new QueueRef(train.id(), "Train-High"), new QueueRef(other.id(), "other"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> resolver.resolve(List.of("train-high", "nope",
                        "0123456789abcdef0123456789abcdef")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("No such ClearML queue: nope, 0123456789abcdef0123456789abcdef. Create it in the ClearML "
                        + "web UI (Workers & Queues) or check the name.");
    }

    static RunHandle completed(RunOutcome o) {
        return handle(CompletableFuture.completedFuture(o));
    }

    static RunHandle handle(CompletableFuture<RunOutcome> outcome) {
        return new RunHandle() {
            @Override
            public CompletionStage<RunOutcome> outcome() {
                return outcome;
            }

            @Override
            public void abort(String reason) {
                outcome.complete(RunOutcome.notStarted(reason));
            }
        };
    }

    static void awaitTrue(java.util.function.BooleanSupplier condition) throws InterruptedException {
        awaitTrue(condition, Duration.ofSeconds(30), () -> "");
    }

    static void awaitTrue(java.util.function.BooleanSupplier condition, Duration timeout,
            java.util.function.Supplier<String> state) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + timeout.toSeconds() + " s " + state.get());
            }
            Thread.sleep(10);
        }
    }
}
