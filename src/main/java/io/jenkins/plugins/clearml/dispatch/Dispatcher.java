package io.jenkins.plugins.clearml.dispatch;

import io.jenkins.plugins.clearml.client.ClearMLClient;
import io.jenkins.plugins.clearml.client.ClearMLException;
import io.jenkins.plugins.clearml.client.MachineStats;
import io.jenkins.plugins.clearml.client.QueueInfo;
import io.jenkins.plugins.clearml.client.TaskState;
import io.jenkins.plugins.clearml.client.TaskStatus;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Serves ClearML queues: the one dispatch core behind the Jenkins queue cloud and the {@code daemon} command.
 *
 * <p>Each tick reads the metadata of every served queue in <em>one</em> {@code queues.get_all(id=[...])} call, so
 * the load on the server does not grow with the number of nodes or slots. Then the {@link TickPlanner}, in priority
 * or fair order, reserves room for a queue's next task ({@link Capacity#reserve}) and only then is it popped
 * ({@code queues.get_next_task}), so no task is taken off a queue that nothing can run. The popped task goes to
 * the {@link TaskRunner}; when the run is about to start on a node, the runner calls back ({@link RunStart}) and
 * the task is claimed as the real agent claims it and becomes a worker ({@link WorkerReports}).
 *
 * <p>No task is lost and none runs twice: a popped task either gets claimed and runs once, or goes back to the
 * front of its queue (with a status message saying why), or is left alone because it changed while it waited
 * ({@link Settlement}). A claimed task whose node dies is failed (or re-enqueued) after
 * {@link DispatchSettings#nodeLossGrace()}. Calls that must not be dropped (returning a task, failing a lost one)
 * are retried each tick until the server takes them, so a server outage delays them but loses nothing. With a
 * {@link HandOffJournal}, a popped task is on disk until it is claimed or settled, so even a crash in between
 * loses nothing: the next start returns it.
 */
public final class Dispatcher implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Dispatcher.class.getName());
    /** Pop requests in flight at once when a tick pops many tasks. */
    static final int POP_CONCURRENCY = 4;

    private final ClearMLClient client;
    private final Capacity capacity;
    private final TaskRunner runner;
    private final List<DispatchTemplate> templates;
    private final DispatchSettings settings;
    private final Clock clock;

    private final TickPlanner planner;
    private final Settlement settlement;
    private final WorkerReports workers;
    private final Map<String, Slot> slots = new ConcurrentHashMap<>();
    private final ExecutorService popper;

    private volatile Runnable beforeTick;
    private final Object wakeLock = new Object();
    private boolean wakeRequested;
    private volatile boolean accepting = true;
    /** While it answers true (e.g. Jenkins prepares for shutdown), no task is popped; runs in hand go on. */
    private volatile BooleanSupplier paused = () -> false;
    private volatile boolean closed;
    private Thread loop;

    private final AtomicLong dispatched = new AtomicLong();
    private volatile Map<String, Integer> lastBacklog = Map.of();
    private volatile Instant lastPoll;
    private volatile String lastError;

    public Dispatcher(ClearMLClient client, Capacity capacity, TaskRunner runner, List<DispatchTemplate> templates,
            DispatchSettings settings, Supplier<MachineStats> machineStats, Clock clock) {
        this.client = Objects.requireNonNull(client, "client");
        this.capacity = Objects.requireNonNull(capacity, "capacity");
        this.runner = Objects.requireNonNull(runner, "runner");
        this.templates = List.copyOf(templates);
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = clock;
        this.planner = new TickPlanner(this.templates, capacity, settings.order(), clock);
        this.settlement = new Settlement(client, settings, planner, clock);
        this.workers = new WorkerReports(client, settings, machineStats, clock);
        this.popper = Executors.newFixedThreadPool(POP_CONCURRENCY, daemonThreads("clearml-pop"));
    }

    public Dispatcher(ClearMLClient client, Capacity capacity, TaskRunner runner, List<DispatchTemplate> templates,
            DispatchSettings settings) {
        this(client, capacity, runner, templates, settings, null, Clock.systemUTC());
    }

    /**
     * Runs {@code hook} at the start of every tick, on the dispatcher's thread: the cloud refreshes its view of
     * the Jenkins nodes there, so placement decisions see the nodes as they are now.
     */
    public void beforeTick(Runnable hook) {
        this.beforeTick = hook;
    }

    /**
     * Keeps the tasks popped but not yet claimed in {@code file}, and recovers those a previous life of this
     * dispatcher left there: each that is still {@code queued} in no queue goes back to the front of its queue,
     * before this dispatcher pops anything. Call before {@link #start}. {@code identity} names this dispatcher
     * in the recovered task's status message ({@code the ClearML Queue Cloud 'gpu'}).
     */
    public void keepHandOffJournal(Path file, String identity) {
        settlement.keepJournal(HandOffJournal.open(file), identity);
    }

    /** The hand-off journal's file; null without one. */
    Path handOffJournal() {
        return settlement.journalFile();
    }

    /** Starts the poll loop in a background thread. */
    public synchronized void start() {
        if (loop != null) {
            return;
        }
        loop = daemonThreads("clearml-dispatcher").newThread(this::runLoop);
        loop.start();
    }

    /** Asks for a tick now (a run ended, a node came online), instead of at the next poll interval. */
    public void wake() {
        synchronized (wakeLock) {
            wakeRequested = true;
            wakeLock.notifyAll();
        }
    }

    private void runLoop() {
        Duration minGap = settings.pollInterval().dividedBy(10);
        Duration wait = settings.pollInterval();
        while (!closed) {
            try {
                tick();
                lastError = null;
                wait = settings.pollInterval();
            } catch (ClearMLException | RuntimeException e) {
                lastError = e.getMessage();
                LOG.log(Level.WARNING, "ClearML dispatcher: poll failed, will retry: " + e.getMessage(),
                        e instanceof ClearMLException ? null : e);
                // Back off while the server is away, up to 10 polls, so an outage is not hammered.
                wait = min(wait.multipliedBy(2), settings.pollInterval().multipliedBy(10));
            }
            try {
                sleepUntilWoken(minGap, wait);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void sleepUntilWoken(Duration minGap, Duration max) throws InterruptedException {
        Thread.sleep(minGap.toMillis());
        long deadline = System.nanoTime() + max.minus(minGap).toNanos();
        synchronized (wakeLock) {
            while (!wakeRequested && !closed) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                TimeUnit.NANOSECONDS.timedWait(wakeLock, left);
            }
            wakeRequested = false;
        }
    }

    /**
     * One pass: retries, tasks a previous life left in the journal, lost nodes, queue metadata, pops. Public for
     * tests that drive the dispatcher by hand.
     */
    public void tick() throws ClearMLException {
        Runnable hook = beforeTick;
        if (hook != null) {
            hook.run();
        }
        settlement.flushJournal();
        settlement.retryDue();
        settlement.recoverOrphans(slots::containsKey);
        declareLostRuns();
        if (!accepting || paused.getAsBoolean()) {
            return;
        }
        List<QueueInfo> infos = client.getQueues(planner.queueIds());
        lastPoll = clock.instant();
        Map<String, Integer> backlog = new HashMap<>();
        for (QueueInfo info : infos) {
            backlog.put(info.id(), info.taskIds().size());
        }
        lastBacklog = Map.copyOf(backlog);
        popAndLaunch(planner.plan(backlog, () -> accepting));
    }

    /**
     * Pops the planned tasks, several requests in flight at once (pops are round trips, and the server pops
     * atomically), writes what was popped to the hand-off journal in one write, then hands the tasks to the runner
     * in plan order, so the order the plan chose is the order runs start. A pop that finds its queue empty (another
     * agent was faster) gives its reservation back.
     */
    private void popAndLaunch(List<TickPlanner.Planned> plan) throws ClearMLException {
        List<Future<Optional<String>>> pops = new ArrayList<>(plan.size());
        for (TickPlanner.Planned p : plan) {
            pops.add(plan.size() == 1 ? CompletableFuture.completedFuture(null)
                    : popper.submit(() -> client.getNextTask(p.served().queue().id())));
        }
        // Every pop in flight is awaited, failed or not: one that went through holds a task that must not be lost.
        Throwable failure = null;
        List<Slot> popped = new ArrayList<>(plan.size());
        for (int i = 0; i < plan.size(); i++) {
            TickPlanner.Planned p = plan.get(i);
            Optional<String> task = Optional.empty();
            try {
                task = plan.size() == 1 ? client.getNextTask(p.served().queue().id()) : pops.get(i).get();
            } catch (ExecutionException e) {
                failure = failure == null ? e.getCause() : failure;
            } catch (ClearMLException | RuntimeException e) {
                failure = failure == null ? e : failure;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (task.isEmpty()) {
                capacity.release(p.served().template(), p.placement());
            } else {
                popped.add(slot(p.served(), p.placement(), task.get()));
            }
        }
        settlement.popped(popped.stream().map(slot -> slot.entry).toList());
        for (Slot slot : popped) {
            launch(slot);
        }
        if (failure instanceof ClearMLException e) {
            throw e;
        }
        if (failure instanceof RuntimeException e) {
            throw e;
        }
        if (failure != null) {
            throw new ClearMLException("queues.get_next_task", 0, 0, String.valueOf(failure), failure);
        }
    }

    private Slot slot(Served s, Placement placement, String taskId) {
        planner.taken(s.template());
        dispatched.incrementAndGet();
        Slot slot = new Slot(new PlacedTask(taskId, s.queue(), s.template(), placement), clock.instant());
        slots.put(taskId, slot);
        return slot;
    }

    private void launch(Slot slot) {
        String taskId = slot.task.taskId();
        try {
            slot.handle = runner.start(slot.task, slot::begin);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "ClearML dispatcher: the runner refused task " + taskId, e);
            finish(slot, slot.claimed != null
                    ? RunOutcome.finished("the runner failed: " + e)
                    : RunOutcome.notStarted("the runner could not start it: " + e.getMessage()));
            return;
        }
        slot.handle.outcome().whenComplete((outcome, error) -> finish(slot, outcome != null ? outcome
                : slot.claimed == null ? RunOutcome.notStarted("the run failed before it started: " + error)
                : settlement.failedRun(slot.task.taskId(), error)));
    }

    /** Fails (or re-enqueues) the claimed runs of nodes offline for longer than the grace period. */
    private void declareLostRuns() {
        Instant limit = clock.instant().minus(settings.nodeLossGrace());
        for (Slot slot : slots.values()) {
            Placement placement = slot.placement;
            if (!placement.bound()) {
                continue;
            }
            Optional<Instant> offline = capacity.offlineSince(placement.node());
            if (offline.isPresent() && !offline.get().isAfter(limit)) {
                String reason = "node " + placement.node() + " went offline at " + offline.get()
                        + " and did not come back within " + settings.nodeLossGrace().toSeconds() + " s";
                if (slot.handle != null) {
                    slot.handle.abort(reason);
                }
                finish(slot, slot.claimed != null ? RunOutcome.nodeLost(reason) : RunOutcome.notStarted(reason));
            }
        }
    }

    /** Called by the runner through {@link RunStart}. */
    private ClaimedRun claim(Slot slot, String node) throws RunNotStartedException {
        PlacedTask task = slot.task;
        if (closed) {
            // Returned by this dispatcher, or (once its journal entry was taken over) by the one recovering it: not both.
            throw new RunNotStartedException(settlement.takeBack(slot.entry)
                    ? RunOutcome.notStarted("the dispatcher was stopped before it ran")
                    : RunOutcome.skipped("the dispatcher was stopped before it ran; the one that took over its "
                            + "journal returns it"));
        }
        if (slot.finished.get()) {
            throw new RunNotStartedException(RunOutcome.skipped("the dispatcher already gave this task up"));
        }
        Placement placement = capacity.bind(task.template(), task.placement(), node)
                .orElseThrow(() -> RunNotStartedException.noRoom(node));
        slot.placement = placement;
        try {
            // Only a run that waited for a node (placed by the Jenkins queue) can have waited long enough to be aborted
            // meanwhile; a run placed on a known node starts at once, as the agent's does after its pop.
            if (!task.placement().bound()
                    && Duration.between(slot.popped, clock.instant()).compareTo(settings.recheckAfter()) > 0) {
                Optional<TaskState> state = client.getTaskState(task.taskId());
                if (state.isEmpty() || state.get().status() != TaskStatus.QUEUED) {
                    throw new RunNotStartedException(RunOutcome.skipped("it is no longer queued (status "
                            + state.map(s -> s.status().wireName()).orElse("deleted") + ") after waiting for a node"));
                }
            }
            client.started(task.taskId(), null, "pulled by agent", true);
            settlement.claimed(slot.entry);
        } catch (ClearMLException e) {
            throw new RunNotStartedException(RunOutcome.notStarted("could not claim it: " + e.getMessage()));
        }
        ClaimedRun run = new ClaimedRun(task, placement, placement.workerId());
        slot.claimed = run;
        slot.reports = workers.register(run);
        return run;
    }

    private void finish(Slot slot, RunOutcome outcome) {
        // Under the slot's lock, so a claim in progress on the runner's thread completes (or fails) first.
        synchronized (slot) {
            if (!slot.finished.compareAndSet(false, true)) {
                return;
            }
            settle(slot, outcome);
        }
        wake();
    }

    private void settle(Slot slot, RunOutcome outcome) {
        PlacedTask task = slot.task;
        if (slot.reports != null) {
            slot.reports.cancel(false);
        }
        ClaimedRun run = slot.claimed;
        if (run != null) {
            workers.unregister(run);
        }
        settlement.settle(task, run, outcome, slot.entry);
        capacity.release(task.template(), slot.placement);
        planner.released(task.template());
        slots.remove(task.taskId(), slot);
    }

    /** Stops taking tasks; queue metadata is no longer read. Runs in hand go on. */
    public void stopAccepting() {
        accepting = false;
        wake();
    }

    public boolean accepting() {
        return accepting;
    }

    /**
     * Pops nothing while {@code condition} holds (asked once a tick), so that tasks stay in their ClearML queue, where
     * other agents can take them, while this one could not start them anyway.
     */
    public void pauseWhile(BooleanSupplier condition) {
        paused = condition;
    }

    /** Aborts every run in hand: started ones are stopped, waiting ones go back to their queue. */
    public void abortAll(String reason) {
        for (Slot slot : slots.values()) {
            RunHandle handle = slot.handle;
            if (handle != null) {
                handle.abort(reason);
            }
        }
    }

    /** Aborts the runs that have not started yet (waiting for a node): they go back to the front of their queue. */
    public void abortWaiting(String reason) {
        for (Slot slot : slots.values()) {
            RunHandle handle = slot.handle;
            if (handle != null && slot.claimed == null) {
                handle.abort(reason);
            }
        }
    }

    /** Waits until no run is in hand and every pending server call went through, or the timeout passes. */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (slots.isEmpty()) {
                settlement.retryDue();
                if (settlement.done()) {
                    return true;
                }
            }
            Thread.sleep(50);
        }
        return slots.isEmpty() && settlement.done();
    }

    /** Runs in hand, started or waiting for a node. */
    public int inHand() {
        return slots.size();
    }

    public DispatcherStatus status() {
        Map<String, Integer> backlog = lastBacklog;
        List<DispatcherStatus.QueueBacklog> queues = new ArrayList<>();
        for (Served s : planner.served()) {
            queues.add(new DispatcherStatus.QueueBacklog(s.template().name(), s.queue(),
                    backlog.getOrDefault(s.queue().id(), 0)));
        }
        List<DispatcherStatus.RunInfo> runs = new ArrayList<>();
        for (Slot slot : slots.values()) {
            ClaimedRun run = slot.claimed;
            Placement p = slot.placement;
            runs.add(new DispatcherStatus.RunInfo(slot.task.taskId(), slot.task.queue(), slot.task.template().name(),
                    p.node(), p.gpus(), run == null ? null : run.workerId(), run != null, slot.popped));
        }
        return new DispatcherStatus(queues, runs, dispatched.get(), settlement.returnedToQueue(),
                settlement.lostToNodes(), lastPoll, lastError);
    }

    public List<DispatchTemplate> templates() {
        return templates;
    }

    /**
     * Stops the loop and the reports. Does not touch runs in hand: call {@link #stopAccepting}, then
     * {@link #abortAll} or {@link #awaitIdle} first for a graceful end. A run in hand that tries to start after
     * this is refused and returned to its queue.
     */
    @Override
    public void close() {
        closed = true;
        accepting = false;
        wake();
        Thread t;
        synchronized (this) {
            t = loop;
        }
        if (t != null) {
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        settlement.close();
        workers.close();
        popper.shutdownNow();
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    static java.util.concurrent.ThreadFactory daemonThreads(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** One popped task while it is in hand. */
    private final class Slot {
        final PlacedTask task;
        final Instant popped;
        final HandOffJournal.Entry entry;
        final AtomicBoolean finished = new AtomicBoolean();
        volatile RunHandle handle;
        /** What this run holds: the reservation, then the node and GPUs it was bound to. Released once, at finish. */
        volatile Placement placement;
        volatile ClaimedRun claimed;
        volatile Future<?> reports;

        Slot(PlacedTask task, Instant popped) {
            this.task = task;
            this.popped = popped;
            this.placement = task.placement();
            this.entry = new HandOffJournal.Entry(task.taskId(), task.queue().id(), task.queue().name(), popped);
        }

        ClaimedRun begin(String node) throws RunNotStartedException {
            synchronized (this) {
                if (claimed != null) {
                    throw new IllegalStateException("task " + task.taskId() + " was already begun");
                }
                return claim(this, node);
            }
        }
    }
}
