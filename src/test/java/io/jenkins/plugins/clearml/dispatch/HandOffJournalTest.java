package io.jenkins.plugins.clearml.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A dispatcher that dies between pop and claim: the next one on the same journal puts the task back at the front
 * of its queue, and it runs once. "Dying" is a dispatcher dropped without {@code close()} whose journal file is
 * copied, as the disk holds it after a kill -9, to where the next life opens it.
 */
class HandOffJournalTest {

    private static final String CLOUD = "the ClearML Queue Cloud 'c'";

    @TempDir
    Path dir;

    private DispatchFixture fx;
    /** The journal of the dispatcher that dies, as a Queue Cloud names it. */
    private Path journal;
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        fx = new DispatchFixture(Duration.ofMillis(300));
        journal = dir.resolve("queue-cloud-c.json");
    }

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : closeables) {
            c.close();
        }
        fx.close();
    }

    private Dispatcher dispatcher(Capacity capacity, TaskRunner runner, QueueRef queue, Path journal) {
        Dispatcher d = new Dispatcher(fx.client, capacity, runner,
                List.of(new DispatchTemplate("t", List.of(queue), "", 1, null, 0)),
                DispatchSettings.defaults().withPollInterval(Duration.ofMillis(100)), null, Clock.systemUTC());
        closeables.add(0, d);
        if (journal != null) {
            d.keepHandOffJournal(journal, CLOUD);
        }
        return d;
    }

    private static NodePool poolWith(int gpus) {
        NodePool pool = new NodePool();
        if (gpus > 0) {
            pool.put(DispatchFixture.node("n1", gpus));
        }
        return pool;
    }

    /** A runner that takes tasks and never starts them (the Jenkins queue waiting for a node, then a crash). */
    private static TaskRunner neverStarts(List<RunStart> starts) {
        return neverStarts(starts, new CopyOnWriteArrayList<>());
    }

    /** The same, with the runs' outcomes for the test to complete. */
    private static TaskRunner neverStarts(List<RunStart> starts, List<CompletableFuture<RunOutcome>> outcomes) {
        return (task, start) -> {
            starts.add(start);
            CompletableFuture<RunOutcome> outcome = new CompletableFuture<>();
            outcomes.add(outcome);
            return DispatcherTest.handle(outcome);
        };
    }

    /** The journal as the disk holds it now, where the next life opens it. */
    private Path afterCrash(Path journal) throws Exception {
        Path next = Files.createDirectories(dir.resolve("after-crash-" + System.nanoTime())).resolve("journal.json");
        Files.copy(journal, next);
        return next;
    }

    /** One task enqueued, popped by a dispatcher that then dies; returns the task id. */
    private String poppedBeforeACrash(QueueRef q) throws Exception {
        String task = fx.enqueue(q, 1).get(0);
        dispatcher(poolWith(1), neverStarts(new CopyOnWriteArrayList<>()), q, journal).tick();
        return task;
    }

    private SimulatedTaskRunner sim() {
        SimulatedTaskRunner r = new SimulatedTaskRunner(fx.client, Duration.ofMillis(50), 2);
        closeables.add(r);
        return r;
    }

    @Test
    void aTaskPoppedBeforeACrashGoesBackToTheFrontOfItsQueueAndRunsOnce() throws Exception {
        QueueRef q = fx.queue("train");
        List<String> tasks = fx.enqueue(q, 3);
        Dispatcher crashed = dispatcher(poolWith(1), neverStarts(new CopyOnWriteArrayList<>()), q, journal);
        crashed.tick();
        assertThat(fx.server.queueTaskIds(q.id())).containsExactlyElementsOf(tasks.subList(1, 3));
        assertThat(Files.readString(journal)).contains(tasks.get(0)).contains(q.id());

        NodePool pool = poolWith(0); // the next life sees no node yet: recovery only, nothing popped
        SimulatedTaskRunner runner = sim();
        Dispatcher next = dispatcher(pool, runner, q, afterCrash(journal));
        next.tick();

        assertThat(fx.server.queueTaskIds(q.id())).containsExactlyElementsOf(tasks);
        assertThat(fx.status(tasks.get(0))).isEqualTo("queued");
        assertThat(fx.server.task(tasks.get(0)).statusMessage())
                .isEqualTo("returned to the front of queue train: " + CLOUD + " restarted before it ran");
        assertThat(journalOf(next)).isEmpty();

        pool.put(DispatchFixture.node("n1", 1));
        DispatcherTest.awaitTrue(() -> {
            tickQuietly(next);
            return tasks.stream().allMatch(id -> fx.status(id).equals("completed"));
        });
        assertThat(runner.handedOver.get(0).taskId()).isEqualTo(tasks.get(0));
        assertThat(runner.runsPerTask).hasSize(3);
        assertThat(runner.runsPerTask.values()).allMatch(n -> n.get() == 1);
        assertThat(runner.violations).isEmpty();
    }

    @Test
    void aTaskClaimedBeforeTheCrashIsNotQueuedAgain() throws Exception {
        QueueRef q = fx.queue("train");
        String task = fx.enqueue(q, 1).get(0);
        List<RunStart> starts = new CopyOnWriteArrayList<>();
        Dispatcher crashed = dispatcher(poolWith(1), neverStarts(starts), q, journal);
        crashed.tick();
        Path disk = afterCrash(journal); // the crash comes after the claim reached the server, before the file did
        starts.get(0).begin("n1");
        assertThat(fx.status(task)).isEqualTo("in_progress");
        assertThat(Files.readString(journal)).as("removals reach the file with the next tick").contains(task);
        crashed.tick();
        assertThat(Files.readString(journal)).doesNotContain(task);

        Dispatcher next = dispatcher(poolWith(1), sim(), q, disk);
        next.tick();

        assertThat(fx.status(task)).isEqualTo("in_progress");
        assertThat(fx.server.task(task).statusMessage()).isEqualTo("pulled by agent");
        assertThat(fx.server.queueTaskIds(q.id())).isEmpty();
        assertThat(journalOf(next)).isEmpty();
    }

    @Test
    void aTaskAbortedWhileInTheJournalIsLeftAlone() throws Exception {
        QueueRef q = fx.queue("train");
        String task = poppedBeforeACrash(q);
        fx.server.abort(task); // aborted in the web UI while the controller was down

        SimulatedTaskRunner runner = sim();
        Dispatcher next = dispatcher(poolWith(1), runner, q, afterCrash(journal));
        next.tick();

        assertThat(fx.status(task)).isEqualTo("stopped");
        assertThat(fx.server.queueTaskIds(q.id())).isEmpty();
        assertThat(runner.handedOver).isEmpty();
        assertThat(journalOf(next)).isEmpty();
    }

    @Test
    void aTaskEnqueuedAgainByHandIsNotAddedTwice() throws Exception {
        QueueRef q = fx.queue("train");
        QueueRef other = fx.queue("other");
        String task = poppedBeforeACrash(q);
        fx.server.enqueue(task, other.id()); // the user put it in another queue while the controller was down

        Dispatcher next = dispatcher(poolWith(0), sim(), q, afterCrash(journal));
        next.tick();

        assertThat(fx.server.queueTaskIds(q.id())).isEmpty();
        assertThat(fx.server.queueTaskIds(other.id())).containsExactly(task);
        assertThat(journalOf(next)).isEmpty();
    }

    @Test
    void aRecoveryTheServerCannotTakeYetStaysInTheJournalAndIsRetried() throws Exception {
        QueueRef q = fx.queue("train");
        String task = poppedBeforeACrash(q);
        Path disk = afterCrash(journal);

        Dispatcher next = dispatcher(poolWith(0), sim(), q, disk);
        fx.server.refuseConnectionsFor(Duration.ofSeconds(2));
        tickQuietly(next); // the server is down: nothing can be decided yet
        assertThat(journalOf(next)).extracting(HandOffJournal.Entry::taskId).containsExactly(task);
        assertThat(Files.readString(disk)).contains(task);

        DispatcherTest.awaitTrue(() -> {
            tickQuietly(next);
            return fx.server.queueTaskIds(q.id()).contains(task);
        });
        assertThat(journalOf(next)).isEmpty();
        assertThat(Files.readString(disk)).doesNotContain(task);
    }

    @Test
    void aLiveDispatcherOnTheSameFileKeepsItsTasksUntilItCloses() throws Exception {
        QueueRef q = fx.queue("train");
        String task = fx.enqueue(q, 1).get(0);
        List<RunStart> starts = new CopyOnWriteArrayList<>();
        List<CompletableFuture<RunOutcome>> outcomes = new CopyOnWriteArrayList<>();
        Dispatcher old = dispatcher(poolWith(1), neverStarts(starts, outcomes), q, journal);
        old.tick();

        // a reconfigured cloud: the new dispatcher starts while the old one still has the task in hand
        Dispatcher fresh = dispatcher(poolWith(0), sim(), q, journal);
        fresh.tick();
        assertThat(fx.server.queueTaskIds(q.id())).isEmpty();

        old.close(); // closed before it settled the task: the task is the journal's to recover
        fresh.tick();
        assertThat(fx.server.queueTaskIds(q.id())).containsExactly(task);
        assertThat(fx.status(task)).isEqualTo("queued");
        assertThat(journalOf(fresh)).isEmpty();

        // its run tries to start late: refused, and left to the dispatcher that returned it (not returned twice)
        assertThat(startLate(starts.get(0), outcomes.get(0)).kind()).isEqualTo(RunOutcome.Kind.SKIPPED);
        assertThat(fx.server.queueTaskIds(q.id())).containsExactly(task);
        assertThat(fx.server.task(task).statusMessage()).endsWith(CLOUD + " restarted before it ran");
    }

    @Test
    void aRunThatTriesToStartAfterItsDispatcherClosedIsReturnedByItWhenNoOtherTookItOver() throws Exception {
        QueueRef q = fx.queue("train");
        String task = fx.enqueue(q, 1).get(0);
        List<RunStart> starts = new CopyOnWriteArrayList<>();
        List<CompletableFuture<RunOutcome>> outcomes = new CopyOnWriteArrayList<>();
        Dispatcher old = dispatcher(poolWith(1), neverStarts(starts, outcomes), q, journal);
        old.tick();
        old.close();

        assertThat(startLate(starts.get(0), outcomes.get(0)).kind()).isEqualTo(RunOutcome.Kind.NOT_STARTED);
        assertThat(fx.server.queueTaskIds(q.id())).containsExactly(task);
        assertThat(fx.server.task(task).statusMessage())
                .isEqualTo("returned to the front of queue train: the dispatcher was stopped before it ran");

        // its closed journal could no longer write that down: the next start finds the task back in its queue
        Dispatcher next = dispatcher(poolWith(0), sim(), q, journal);
        next.tick();
        assertThat(journalOf(next)).isEmpty();
        assertThat(fx.server.queueTaskIds(q.id())).containsExactly(task);
    }

    @Test
    void tasksSettledNormallyLeaveNothingInTheJournal() throws Exception {
        QueueRef q = fx.queue("train");
        List<String> tasks = fx.enqueue(q, 3);
        TaskRunner failing = (t, start) -> DispatcherTest.completed(RunOutcome.notStarted("image foo:1 could not be pulled"));
        Dispatcher returning = dispatcher(poolWith(1), failing, q, journal);
        returning.tick();
        assertThat(fx.server.queueTaskIds(q.id())).containsExactlyElementsOf(tasks);
        assertThat(journalOf(returning)).isEmpty();
        returning.close();

        SimulatedTaskRunner runner = sim();
        Dispatcher running = dispatcher(poolWith(2), runner, q, journal);
        DispatcherTest.awaitTrue(() -> {
            tickQuietly(running);
            return tasks.stream().allMatch(id -> fx.status(id).equals("completed"));
        });
        assertThat(journalOf(running)).isEmpty();
        assertThat(Files.readString(journal)).doesNotContain(tasks.get(0));
    }

    @Test
    void aCorruptJournalIsSetAsideWithOneClearLineAndTheDispatcherGoesOn() throws Exception {
        QueueRef q = fx.queue("train");
        String task = fx.enqueue(q, 1).get(0);
        Files.writeString(journal, "{\"entries\": [{\"task\": ", StandardCharsets.UTF_8);

        List<String> warnings = journalWarningsWhile(() -> runsToCompletion(q, task, journal));

        assertThat(warnings).hasSize(1);
        assertThat(warnings.get(0)).contains(journal.toString()).contains("is corrupt")
                .contains("enqueue them again in the ClearML web UI");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .anyMatch(name -> name.startsWith("queue-cloud-c.json.corrupt-"));
        }
    }

    @Test
    void aJournalAnotherProcessHoldsIsNotTouchedAndTheDispatcherGoesOn() throws Exception {
        QueueRef q = fx.queue("train");
        String task = fx.enqueue(q, 1).get(0);
        Path journal = dir.resolve("daemon-box-gpu0.json");
        try (FileChannel other = FileChannel.open(dir.resolve("daemon-box-gpu0.json.lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); FileLock held = other.lock()) {
            List<String> warnings = journalWarningsWhile(() -> runsToCompletion(q, task, journal));

            assertThat(warnings).hasSize(1);
            assertThat(warnings.get(0)).contains(journal.toString()).contains("is in use by another running process");
            assertThat(journal).doesNotExist();
        }
    }

    private void runsToCompletion(QueueRef q, String task, Path journal) throws Exception {
        Dispatcher d = dispatcher(poolWith(1), sim(), q, journal);
        DispatcherTest.awaitTrue(() -> {
            tickQuietly(d);
            return fx.status(task).equals("completed");
        });
    }

    /** The journal's log messages while {@code action} runs. */
    private static List<String> journalWarningsWhile(ThrowingRunnable action) throws Exception {
        List<String> messages = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord r) {
                messages.add(r.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger logger = Logger.getLogger(HandOffJournal.class.getName());
        logger.addHandler(capture);
        try {
            action.run();
        } finally {
            logger.removeHandler(capture);
        }
        return messages;
    }

    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    /** A run that tries to start after its dispatcher closed: refused; the runner ends it with the refusal. */
    private static RunOutcome startLate(RunStart start, CompletableFuture<RunOutcome> outcome) {
        RunNotStartedException refused = org.junit.jupiter.api.Assertions.assertThrows(RunNotStartedException.class,
                () -> start.begin("n1"));
        outcome.complete(refused.outcome());
        return refused.outcome();
    }

    private static List<HandOffJournal.Entry> journalOf(Dispatcher d) throws Exception {
        // read back through a fresh lease, which shares the dispatcher's in-memory copy
        try (HandOffJournal j = HandOffJournal.open(d.handOffJournal())) {
            return j.entries();
        }
    }

    private static void tickQuietly(Dispatcher d) {
        try {
            d.tick();
        } catch (Exception e) {
            // the server is away: the next tick tries again
        }
    }
}
