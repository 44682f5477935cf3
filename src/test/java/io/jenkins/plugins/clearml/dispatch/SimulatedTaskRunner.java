package io.jenkins.plugins.clearml.dispatch;

import io.jenkins.plugins.clearml.client.ClearMLClient;
import io.jenkins.plugins.clearml.client.ClearMLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fast stand-in for the engine, for the scale test and the benchmark: each run claims its task through the
 * dispatcher like the real runner, "runs" for a fixed time, then completes the task on the server
 * ({@code tasks.completed}), as the engine would. It keeps its own ledger of the GPUs in use on every node and
 * records any overlap, every task that runs more than once, and the order in which tasks were handed over.
 * Nodes can be killed: their runs never end and never report.
 */
final class SimulatedTaskRunner implements TaskRunner, AutoCloseable {

    private final ClearMLClient client;
    private final Duration runTime;
    private final ExecutorService calls;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(Dispatcher.daemonThreads("sim-timer"));

    final Map<String, AtomicInteger> runsPerTask = new ConcurrentHashMap<>();
    final ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();
    final List<PlacedTask> handedOver = Collections.synchronizedList(new ArrayList<>());
    final Map<String, Long> startedAtNanos = new ConcurrentHashMap<>();
    final Map<String, ClaimedRun> claims = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> gpusInUse = new HashMap<>();
    private final Set<String> deadNodes = ConcurrentHashMap.newKeySet();
    final AtomicInteger completed = new AtomicInteger();

    SimulatedTaskRunner(ClearMLClient client, Duration runTime, int callThreads) {
        this.client = client;
        this.runTime = runTime;
        this.calls = Executors.newFixedThreadPool(callThreads, Dispatcher.daemonThreads("sim-calls"));
    }

    @Override
    public RunHandle start(PlacedTask task, RunStart start) {
        handedOver.add(task);
        SimRun run = new SimRun(task, start);
        calls.execute(run::begin);
        return run;
    }

    /** The node stops answering: its runs never end, as when a machine loses power. */
    void kill(String node) {
        deadNodes.add(node);
    }

    int runningOn(String node) {
        synchronized (gpusInUse) {
            return gpusInUse.getOrDefault(node, Set.of()).size();
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        calls.shutdownNow();
    }

    private final class SimRun implements RunHandle {
        final PlacedTask task;
        final RunStart start;
        final CompletableFuture<RunOutcome> outcome = new CompletableFuture<>();
        volatile ClaimedRun claimed;

        SimRun(PlacedTask task, RunStart start) {
            this.task = task;
            this.start = start;
        }

        void begin() {
            String node = task.placement().bound() ? task.placement().node() : "sim-node";
            if (deadNodes.contains(node)) {
                outcome.complete(RunOutcome.notStarted("node " + node + " is gone"));
                return;
            }
            try {
                claimed = start.begin(node);
            } catch (RunNotStartedException e) {
                outcome.complete(e.outcome());
                return;
            } catch (RuntimeException e) {
                outcome.completeExceptionally(e);
                return;
            }
            claims.put(task.taskId(), claimed);
            if (runsPerTask.computeIfAbsent(task.taskId(), k -> new AtomicInteger()).incrementAndGet() > 1) {
                violations.add("task " + task.taskId() + " ran twice");
            }
            synchronized (gpusInUse) {
                Set<String> used = gpusInUse.computeIfAbsent(claimed.placement().node(), k -> new HashSet<>());
                for (String gpu : claimed.gpus()) {
                    if (!used.add(gpu)) {
                        violations.add("GPU " + claimed.placement().node() + "/" + gpu + " given to task "
                                + task.taskId() + " while in use");
                    }
                }
            }
            startedAtNanos.put(task.taskId(), System.nanoTime());
            timer.schedule(() -> calls.execute(this::end), runTime.toNanos(), TimeUnit.NANOSECONDS);
        }

        void end() {
            String node = claimed.placement().node();
            if (deadNodes.contains(node)) {
                return;
            }
            synchronized (gpusInUse) {
                gpusInUse.get(node).removeAll(claimed.gpus());
            }
            try {
                client.completed(task.taskId(), "worker execution done", "Changed by clearml-agent " + claimed.workerId());
                completed.incrementAndGet();
            } catch (ClearMLException e) {
                violations.add("could not complete " + task.taskId() + ": " + e.getMessage());
            }
            outcome.complete(RunOutcome.finished("completed"));
        }

        @Override
        public CompletionStage<RunOutcome> outcome() {
            return outcome;
        }

        @Override
        public void abort(String reason) {
            // a simulated run on a live node just keeps going; on a dead node nothing can reach it
        }
    }
}
