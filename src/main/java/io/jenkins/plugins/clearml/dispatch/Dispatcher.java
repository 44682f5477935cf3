package io.jenkins.plugins.clearml.dispatch;

import io.jenkins.plugins.clearml.client.ClearMLClient;
import io.jenkins.plugins.clearml.client.ClearMLException;
import io.jenkins.plugins.clearml.client.MachineStats;
import io.jenkins.plugins.clearml.client.QueueInfo;
import io.jenkins.plugins.clearml.client.StatusReport;
import io.jenkins.plugins.clearml.client.TaskQueueState;
import io.jenkins.plugins.clearml.client.TaskState;
import io.jenkins.plugins.clearml.client.TaskStatus;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Serves ClearML queues: the one dispatch core behind the Jenkins queue cloud and the {@code daemon} command.
 *
 * <p>Each tick reads the metadata of every served queue in <em>one</em> {@code queues.get_all(id=[...])} call, so
 * the load on the server does not grow with the number of nodes or slots. Then, in priority or fair order, it
 * reserves room for a queue's next task ({@link Capacity#reserve}) and only then pops it
 * ({@code queues.get_next_task}), so no task is taken off a queue that nothing can run. The popped task goes to
 * the {@link TaskRunner}; when the run is about to start on a node, the runner calls back ({@link RunStart}) and
 * the task is claimed as the real agent claims it and becomes a registered worker that reports every 30 s.
 *
 * <p>No task is lost and none runs twice: a popped task either gets claimed and runs once, or goes back to the
 * front of its queue (with a status message saying why), or is left alone because it changed while it waited.
 * A claimed task whose node dies is failed (or re-enqueued) after {@link DispatchSettings#nodeLossGrace()}.
 * Calls that must not be dropped (returning a task, failing a lost one) are retried each tick until the server
 * takes them, so a server outage delays them but loses nothing. With a {@link HandOffJournal}, a popped task is
 * on disk until it is claimed or settled, so even a crash in between loses nothing: the next start returns it.
 */
public final class Dispatcher implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Dispatcher.class.getName());
    private static final String CHANGED_BY = "Changed by ClearML dispatcher";
    /** Failed starts in a row after which a task is failed instead of returned to its queue. */
    static final int MAX_START_ATTEMPTS = 3;
    /** Pop requests in flight at once when a tick pops many tasks. */
    static final int POP_CONCURRENCY = 4;

    private final ClearMLClient client;
    private final Capacity capacity;
    private final TaskRunner runner;
    private final List<DispatchTemplate> templates;
    private final DispatchSettings settings;
    private final Supplier<MachineStats> machineStats;
    private final Clock clock;

    /** Every (template, queue) pair in priority order; a queue may be served by one template only. */
    private final List<Served> served;
    private final List<String> queueIds;
    private final Map<String, Slot> slots = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> perTemplate = new ConcurrentHashMap<>();
    private final RetryQueue retries = new RetryQueue();
    private final ScheduledExecutorService reporter;
    private final ExecutorService popper;

    private volatile Runnable beforeTick;
    /** Popped tasks not yet claimed, on disk; null without {@link #keepHandOffJournal}. */
    private volatile HandOffJournal journal;
    /** Who this dispatcher is, for the status message of a task recovered after a crash. */
    private volatile String identity = "the ClearML dispatcher";
    private final Object wakeLock = new Object();
    private boolean wakeRequested;
    private volatile boolean accepting = true;
    private volatile boolean closed;
    private Thread loop;
    private int fairStart;

    /** Failed start attempts per task, and queues resting after one (their head task could not start). */
    private final Map<String, Integer> startAttempts = new ConcurrentHashMap<>();
    private final Map<String, Instant> restingUntil = new ConcurrentHashMap<>();

    private final AtomicLong dispatched = new AtomicLong();
    private final AtomicLong returned = new AtomicLong();
    private final AtomicLong lost = new AtomicLong();
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
        this.machineStats = machineStats;
        this.clock = clock;
        List<Served> pairs = new ArrayList<>();
        LinkedHashSet<String> ids = new LinkedHashSet<>();
        for (DispatchTemplate template : this.templates) {
            for (QueueRef queue : template.queues()) {
                if (!ids.add(queue.id())) {
                    throw new IllegalArgumentException("Queue '" + queue.name()
                            + "' is served by two templates; give each ClearML queue to one template only.");
                }
                pairs.add(new Served(template, queue));
            }
            perTemplate.put(template.name(), new AtomicInteger());
        }
        if (pairs.isEmpty()) {
            throw new IllegalArgumentException("No queue to serve: configure at least one template with a queue.");
        }
        this.served = List.copyOf(pairs);
        this.queueIds = List.copyOf(ids);
        this.reporter = Executors.newSingleThreadScheduledExecutor(daemonThreads("clearml-worker-reports"));
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
        HandOffJournal opened = HandOffJournal.open(file);
        HandOffJournal previous = journal;
        this.identity = identity;
        this.journal = opened;
        if (previous != null) {
            previous.close();
        }
    }

    /** The hand-off journal's file; null without one. */
    Path handOffJournal() {
        HandOffJournal j = journal;
        return j == null ? null : j.file();
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

    /** One pass: retries, lost nodes, queue metadata, pops. Public for tests that drive the dispatcher by hand. */
    public void tick() throws ClearMLException {
        Runnable hook = beforeTick;
        if (hook != null) {
            hook.run();
        }
        retries.runDue();
        recoverOrphans();
        declareLostRuns();
        if (!accepting) {
            return;
        }
        List<QueueInfo> infos = client.getQueues(queueIds);
        lastPoll = clock.instant();
        Map<String, Integer> backlog = new HashMap<>();
        for (QueueInfo info : infos) {
            backlog.put(info.id(), info.taskIds().size());
        }
        lastBacklog = Map.copyOf(backlog);
        List<Planned> plan = settings.order() == QueueOrder.PRIORITY ? planByPriority(backlog) : planFairly(backlog);
        popAndLaunch(plan);
    }

    /** A reservation made for the next task of a queue, to be popped. */
    private record Planned(Served served, Placement placement) {}

    /**
     * Within a template the first queue first: once a queue with work finds no room, the template's later queues
     * wait for the next tick. Templates needing other nodes or GPU counts go on (backfill), so one full node group
     * does not idle another.
     */
    private List<Planned> planByPriority(Map<String, Integer> backlog) {
        List<Planned> plan = new ArrayList<>();
        Set<String> blocked = new HashSet<>();
        Map<String, Integer> planned = new HashMap<>();
        for (Served s : served) {
            int waiting = backlog.getOrDefault(s.queue.id(), 0);
            for (int i = 0; i < waiting && accepting && !blocked.contains(s.template.name()) && !resting(s); i++) {
                Optional<Placement> room = reserve(s.template, planned);
                if (room.isEmpty()) {
                    blocked.add(s.template.name());
                } else {
                    plan.add(new Planned(s, room.get()));
                }
            }
        }
        return plan;
    }

    /** Round robin: one task per queue with work in turn, starting after the queue served last. */
    private List<Planned> planFairly(Map<String, Integer> backlog) {
        List<Planned> plan = new ArrayList<>();
        Set<String> blocked = new HashSet<>();
        Map<String, Integer> planned = new HashMap<>();
        Map<String, Integer> left = new HashMap<>(backlog);
        int n = served.size();
        boolean progress = true;
        while (progress && accepting) {
            progress = false;
            int start = fairStart;
            for (int i = 0; i < n; i++) {
                Served s = served.get((start + i) % n);
                if (left.getOrDefault(s.queue.id(), 0) <= 0 || blocked.contains(s.template.name()) || resting(s)) {
                    continue;
                }
                Optional<Placement> room = reserve(s.template, planned);
                if (room.isEmpty()) {
                    blocked.add(s.template.name());
                    continue;
                }
                plan.add(new Planned(s, room.get()));
                left.merge(s.queue.id(), -1, Integer::sum);
                fairStart = (start + i + 1) % n;
                progress = true;
            }
        }
        return plan;
    }

    private boolean resting(Served s) {
        Instant rest = restingUntil.get(s.queue.id());
        if (rest == null) {
            return false;
        }
        if (clock.instant().isBefore(rest)) {
            return true;
        }
        restingUntil.remove(s.queue.id(), rest);
        return false;
    }

    private Optional<Placement> reserve(DispatchTemplate template, Map<String, Integer> planned) {
        int inHand = perTemplate.get(template.name()).get() + planned.getOrDefault(template.name(), 0);
        if (template.maxConcurrent() > 0 && inHand >= template.maxConcurrent()) {
            return Optional.empty();
        }
        Optional<Placement> room = capacity.reserve(template);
        room.ifPresent(p -> planned.merge(template.name(), 1, Integer::sum));
        return room;
    }

    /**
     * Pops the planned tasks, several requests in flight at once (pops are round trips, and the server pops
     * atomically), and hands them to the runner in plan order, so the order the plan chose is the order runs start.
     * A pop that finds its queue empty (another agent was faster) gives its reservation back.
     */
    private void popAndLaunch(List<Planned> plan) throws ClearMLException {
        List<Future<Optional<String>>> pops = new ArrayList<>(plan.size());
        for (Planned p : plan) {
            pops.add(plan.size() == 1 ? CompletableFuture.completedFuture(null) : popper.submit(() -> client.getNextTask(p.served.queue.id())));
        }
        ClearMLException failure = null;
        for (int i = 0; i < plan.size(); i++) {
            Planned p = plan.get(i);
            Optional<String> task;
            try {
                task = plan.size() == 1 ? client.getNextTask(p.served.queue.id()) : pops.get(i).get();
            } catch (ExecutionException e) {
                capacity.release(p.served.template, p.placement);
                if (failure == null) {
                    failure = e.getCause() instanceof ClearMLException ce ? ce
                            : new ClearMLException("queues.get_next_task", 0, 0, String.valueOf(e.getCause()), e.getCause());
                }
                continue;
            } catch (ClearMLException | RuntimeException e) {
                capacity.release(p.served.template, p.placement);
                throw e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                capacity.release(p.served.template, p.placement);
                continue;
            }
            if (task.isEmpty()) {
                capacity.release(p.served.template, p.placement);
            } else {
                launch(p.served, p.placement, task.get());
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private void launch(Served s, Placement placement, String taskId) {
        DispatchTemplate template = s.template;
        perTemplate.get(template.name()).incrementAndGet();
        dispatched.incrementAndGet();
        Slot slot = new Slot(new PlacedTask(taskId, s.queue, template, placement), clock.instant());
        slots.put(taskId, slot);
        HandOffJournal j = journal;
        if (j != null) {
            j.add(slot.entry);
        }
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
                : failedRun(slot, error)));
    }

    private RunOutcome failedRun(Slot slot, Throwable error) {
        String reason = "the run failed in the dispatcher's runner: " + error;
        retries.add("mark task " + slot.task.taskId() + " failed",
                () -> client.failed(slot.task.taskId(), reason, CHANGED_BY, true));
        return RunOutcome.finished(reason);
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
            throw new RunNotStartedException(RunOutcome.notStarted("the dispatcher was stopped before it ran"));
        }
        if (slot.finished.get()) {
            throw new RunNotStartedException(RunOutcome.skipped("the dispatcher already gave this task up"));
        }
        Placement placement = capacity.bind(task.template(), task.placement(), node)
                .orElseThrow(() -> new RunNotStartedException(RunOutcome.notStarted(
                        "node " + node + " has no free executor or GPU for it")));
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
            forget(slot.entry); // claimed: from now on the server knows who has it
        } catch (ClearMLException e) {
            throw new RunNotStartedException(RunOutcome.notStarted("could not claim it: " + e.getMessage()));
        }
        String workerId = placement.workerId();
        ClaimedRun run = new ClaimedRun(task, placement, workerId);
        slot.claimed = run;
        registerWorker(slot, run);
        return run;
    }

    private void registerWorker(Slot slot, ClaimedRun run) {
        List<String> queues = List.of(run.task().queue().id());
        try {
            client.registerWorker(run.workerId(), queues, settings.workerTimeoutSeconds());
            report(run, null);
        } catch (ClearMLException e) {
            LOG.warning("ClearML dispatcher: could not register worker " + run.workerId() + ": " + e.getMessage());
        }
        long every = settings.statusReportInterval().toMillis();
        slot.reports = reporter.scheduleAtFixedRate(() -> {
            try {
                report(run, machineStats == null ? null : machineStats.get());
            } catch (ClearMLException | RuntimeException e) {
                LOG.fine(() -> "status report of " + run.workerId() + " failed: " + e.getMessage());
            }
        }, every, every, TimeUnit.MILLISECONDS);
    }

    private void report(ClaimedRun run, MachineStats stats) throws ClearMLException {
        String queue = run.task().queue().id();
        client.statusReport(new StatusReport(run.workerId(), clock.millis(), run.taskId(), queue, List.of(queue),
                stats, null));
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
            try {
                client.unregisterWorker(run.workerId());
            } catch (ClearMLException | RuntimeException e) {
                LOG.fine(() -> "unregister of " + run.workerId() + " failed: " + e.getMessage());
            }
        }
        RunOutcome effective = run == null && outcome.kind() == RunOutcome.Kind.NODE_LOST
                ? RunOutcome.notStarted(outcome.reason()) : outcome;
        if (run != null && effective.kind() == RunOutcome.Kind.NOT_STARTED) {
            // claimed (in_progress) but never ran: it cannot simply go back to a queue in that state
            String reason = "claimed by " + run.workerId() + " but could not start: " + effective.reason();
            retries.add("mark task " + task.taskId() + " failed",
                    () -> client.failed(task.taskId(), reason, CHANGED_BY, true));
            effective = RunOutcome.finished(reason);
        }
        switch (effective.kind()) {
            case NOT_STARTED -> notStarted(task, effective.reason(), slot.entry);
            case NODE_LOST -> nodeLost(task, effective.reason());
            case SKIPPED -> LOG.info("ClearML dispatcher: task " + task.taskId() + " left alone: "
                    + effective.reason());
            case FINISHED -> { }
        }
        if (effective.kind() != RunOutcome.Kind.NOT_STARTED) {
            forget(slot.entry); // (not started: once it is back in its queue, or failed)
        }
        if (run != null) {
            startAttempts.remove(task.taskId());
        }
        capacity.release(task.template(), slot.placement);
        perTemplate.get(task.template().name()).decrementAndGet();
        slots.remove(task.taskId(), slot);
    }

    /**
     * A task that could not start goes back to the front of its queue, and the queue rests a little (it would pop
     * the same task again at once); after {@link #MAX_START_ATTEMPTS} failed starts in a row the task is failed
     * with the reason, so one broken task (an image that does not exist) cannot block its queue for ever.
     */
    private void notStarted(PlacedTask task, String reason, HandOffJournal.Entry entry) {
        int attempts = startAttempts.merge(task.taskId(), 1, Integer::sum);
        if (attempts >= MAX_START_ATTEMPTS) {
            startAttempts.remove(task.taskId());
            String statusReason = "could not start after " + attempts + " attempts: " + reason;
            LOG.warning("ClearML dispatcher: task " + task.taskId() + " failed: " + statusReason);
            retries.add("fail task " + task.taskId(), () -> {
                client.failed(task.taskId(), statusReason, CHANGED_BY, true);
                forget(entry);
            });
            return;
        }
        restingUntil.put(task.queue().id(), clock.instant().plus(settings.pollInterval().multipliedBy(1L << attempts)));
        LOG.info(() -> "ClearML dispatcher: task " + task.taskId() + " goes back to the front of queue "
                + task.queue().name() + ": " + reason);
        returnToFront(task.taskId(), task.queue(), reason, entry);
    }

    /** Puts a popped task back at the head of its queue, retried until the server takes it, then forgets it. */
    private void returnToFront(String taskId, QueueRef queue, String reason, HandOffJournal.Entry entry) {
        returned.incrementAndGet();
        retries.add("return task " + taskId + " to queue " + queue.name(), () -> {
            try {
                client.returnToFront(queue.id(), taskId);
            } catch (ClearMLException e) {
                if (e.resultSubcode() != 706) { // 706: already in the queue (an earlier attempt went through)
                    throw e;
                }
            }
            client.updateStatusMessage(taskId, "returned to the front of queue " + queue.name() + ": " + reason);
            forget(entry);
        });
    }

    private void forget(HandOffJournal.Entry entry) {
        HandOffJournal j = journal;
        if (j != null) {
            j.remove(entry);
        }
    }

    /**
     * Tasks a previous life of this dispatcher popped and never claimed (it crashed): each still {@code queued}
     * and in no queue goes back to the front of its queue; one claimed, changed or re-enqueued meanwhile is only
     * forgotten. Server calls that fail are retried each tick, the entry kept until they succeed.
     */
    private void recoverOrphans() {
        HandOffJournal j = journal;
        if (j == null) {
            return;
        }
        for (HandOffJournal.Entry entry : j.takeOrphans()) {
            retries.add("recover task " + entry.taskId() + " popped before a restart", () -> recover(entry));
        }
    }

    private void recover(HandOffJournal.Entry entry) throws ClearMLException {
        String taskId = entry.taskId();
        if (slots.containsKey(taskId)) {
            return; // re-enqueued and popped again by this dispatcher: its new entry replaced this one
        }
        Optional<TaskQueueState> state = client.getTaskQueueState(taskId);
        String leftAlone = null;
        if (state.isEmpty()) {
            leftAlone = "it was deleted";
        } else if (state.get().status() != TaskStatus.QUEUED) {
            leftAlone = "it is " + state.get().status().wireName() + " now (claimed or changed meanwhile)";
        } else {
            Set<String> queues = new LinkedHashSet<>(List.of(entry.queueId()));
            if (state.get().queueId() != null) {
                queues.add(state.get().queueId());
            }
            for (QueueInfo q : client.getQueues(List.copyOf(queues))) {
                if (q.taskIds().contains(taskId)) {
                    leftAlone = "it is back in queue " + q.name();
                }
            }
        }
        if (leftAlone != null) {
            LOG.info("ClearML dispatcher: task " + taskId + ", popped before " + identity + " restarted, is left "
                    + "alone: " + leftAlone);
            forget(entry);
            return;
        }
        LOG.info("ClearML dispatcher: task " + taskId + " was popped from queue " + entry.queueName() + " before "
                + identity + " restarted, and never ran: it goes back to the front of its queue");
        returnToFront(taskId, new QueueRef(entry.queueId(), entry.queueName()),
                identity + " restarted before it ran", entry);
    }

    private void nodeLost(PlacedTask task, String reason) {
        lost.incrementAndGet();
        LOG.warning("ClearML dispatcher: task " + task.taskId() + " lost: " + reason);
        String statusReason = "Node lost: " + reason;
        if (settings.nodeLossPolicy() == NodeLossPolicy.REQUEUE) {
            retries.add("re-enqueue task " + task.taskId(), () -> {
                client.failed(task.taskId(), statusReason, CHANGED_BY, true);
                client.enqueue(task.taskId(), task.queue().id(), "re-enqueued after its node was lost");
            });
        } else {
            retries.add("fail task " + task.taskId(), () -> client.failed(task.taskId(), statusReason, CHANGED_BY, true));
        }
    }

    /** Stops taking tasks; queue metadata is no longer read. Runs in hand go on. */
    public void stopAccepting() {
        accepting = false;
        wake();
    }

    public boolean accepting() {
        return accepting;
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
                retries.runDue();
                if (retries.isEmpty()) {
                    return true;
                }
            }
            Thread.sleep(50);
        }
        return slots.isEmpty() && retries.isEmpty();
    }

    /** Runs in hand, started or waiting for a node. */
    public int inHand() {
        return slots.size();
    }

    public DispatcherStatus status() {
        Map<String, Integer> backlog = lastBacklog;
        List<DispatcherStatus.QueueBacklog> queues = new ArrayList<>();
        for (Served s : served) {
            queues.add(new DispatcherStatus.QueueBacklog(s.template.name(), s.queue, backlog.getOrDefault(s.queue.id(), 0)));
        }
        List<DispatcherStatus.RunInfo> runs = new ArrayList<>();
        for (Slot slot : slots.values()) {
            ClaimedRun run = slot.claimed;
            Placement p = slot.placement;
            runs.add(new DispatcherStatus.RunInfo(slot.task.taskId(), slot.task.queue(), slot.task.template().name(),
                    p.node(), p.gpus(), run == null ? null : run.workerId(), run != null, slot.popped));
        }
        return new DispatcherStatus(queues, runs, dispatched.get(), returned.get(), lost.get(), lastPoll, lastError);
    }

    public List<DispatchTemplate> templates() {
        return templates;
    }

    /**
     * Stops the loop and the reports. Does not touch runs in hand: call {@link #stopAccepting}, then
     * {@link #abortAll} or {@link #awaitIdle} first for a graceful end.
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
        retries.runDue();
        HandOffJournal j = journal;
        if (j != null) {
            j.close(); // what is still in it (a return the server has not taken yet) waits for the next start
        }
        reporter.shutdownNow();
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

    private record Served(DispatchTemplate template, QueueRef queue) {}

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
        volatile ScheduledFuture<?> reports;

        Slot(PlacedTask task, Instant popped) {
            this.task = task;
            this.popped = popped;
            this.entry = new HandOffJournal.Entry(task.taskId(), task.queue().id(), task.queue().name(), popped);
            this.placement = task.placement();
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
