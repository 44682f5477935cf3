package io.jenkins.plugins.clearml.dispatch;

import io.jenkins.plugins.clearml.client.ClearMLClient;
import io.jenkins.plugins.clearml.client.ClearMLException;
import io.jenkins.plugins.clearml.client.MachineStats;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * The dispatch core on one machine: what {@code clearml-agent-cli daemon} runs. The machine is one node whose
 * GPUs are divided among concurrent runs by {@code gpusPerTask} (all of them for one run at a time, as one real
 * agent daemon per GPU set would do).
 */
public final class QueueDaemon implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(QueueDaemon.class.getName());

    /**
     * What the daemon serves and how.
     *
     * @param queues      queue names or ids, in priority order; empty for the server's default queue
     * @param gpus        this machine's GPUs to use
     * @param gpusPerTask GPUs per run; 0 gives every run all {@code gpus} (one run at a time)
     * @param dockerImage docker mode: the image ({@code ""} for the task's own or the configured default);
     *                    {@code null} for venv mode
     */
    public record Options(String workerName, List<String> queues, List<String> gpus, int gpusPerTask,
            String dockerImage, QueueOrder order, Duration pollInterval) {

        public Options {
            queues = List.copyOf(queues);
            gpus = List.copyOf(gpus);
            if (gpusPerTask < 0) {
                throw new IllegalArgumentException("--gpus-per-task must be 1 or more.");
            }
            if (gpusPerTask > 0 && gpus.isEmpty()) {
                throw new IllegalArgumentException("--gpus-per-task " + gpusPerTask
                        + " needs GPUs: give them with --gpus (none were given or detected).");
            }
            if (gpusPerTask > gpus.size()) {
                throw new IllegalArgumentException("--gpus-per-task " + gpusPerTask + " is more than the "
                        + gpus.size() + " GPU(s) given (" + String.join(",", gpus) + ").");
            }
        }

        int perRun() {
            return gpusPerTask == 0 ? gpus.size() : gpusPerTask;
        }

        int concurrentRuns() {
            return gpusPerTask == 0 ? 1 : gpus.size() / gpusPerTask;
        }
    }

    private final Dispatcher dispatcher;
    private final List<QueueRef> queues;
    private final NodeSpec node;

    public QueueDaemon(ClearMLClient client, Options options, TaskRunner runner, Supplier<MachineStats> stats)
            throws ClearMLException {
        this(client, options, runner, stats, null);
    }

    /**
     * With {@code journal} (see {@link #journalFile}; null for none), a daemon killed between a pop and the claim
     * returns that task to the front of its queue when it starts again.
     */
    public QueueDaemon(ClearMLClient client, Options options, TaskRunner runner, Supplier<MachineStats> stats,
            Path journal) throws ClearMLException {
        this.queues = new QueueResolver(client).resolve(options.queues());
        this.node = new NodeSpec(options.workerName(), Set.of(), options.concurrentRuns(), options.gpus());
        NodePool pool = new NodePool();
        pool.put(node);
        DispatchTemplate template = new DispatchTemplate("daemon", queues, "", options.perRun(),
                options.dockerImage(), 0);
        DispatchSettings settings = DispatchSettings.defaults().withOrder(options.order())
                .withPollInterval(options.pollInterval());
        this.dispatcher = new Dispatcher(client, pool, runner, List.of(template), settings, stats, Clock.systemUTC());
        if (journal != null) {
            dispatcher.keepHandOffJournal(journal, "the ClearML daemon " + options.workerName());
        }
    }

    /**
     * The daemon's hand-off journal, next to the agent's other local state:
     * {@code ~/.clearml/daemon-<worker name>-gpu0_1.json} ({@code -cpu} without GPUs), one per worker name and GPU
     * set, as the agent's worker ids are.
     */
    public static Path journalFile(Path home, Options options) {
        String gpus = options.gpus().isEmpty() ? "cpu" : "gpu" + String.join(",", options.gpus());
        return home.resolve(".clearml").resolve(HandOffJournal.fileName("daemon-" + options.workerName() + "-" + gpus)
                + ".json");
    }

    public List<QueueRef> queues() {
        return queues;
    }

    public NodeSpec node() {
        return node;
    }

    public Dispatcher dispatcher() {
        return dispatcher;
    }

    public void start() {
        dispatcher.start();
    }

    /**
     * Stops taking tasks; lets the running ones finish, or stops them with {@code stopRunning}; waits for them
     * (their workers are unregistered as each ends). Returns whether everything ended within {@code wait}.
     */
    public boolean shutdown(boolean stopRunning, Duration wait) throws InterruptedException {
        dispatcher.stopAccepting();
        if (stopRunning) {
            dispatcher.abortAll("the ClearML agent daemon was stopped (--stop-running)");
        }
        boolean idle = dispatcher.awaitIdle(wait);
        if (!idle) {
            LOG.warning("ClearML daemon: " + dispatcher.inHand() + " run(s) still going after " + wait.toSeconds()
                    + " s; stopping them");
            dispatcher.abortAll("the ClearML agent daemon was stopped");
            idle = dispatcher.awaitIdle(Duration.ofSeconds(30));
        }
        dispatcher.close();
        return idle;
    }

    @Override
    public void close() {
        dispatcher.close();
    }
}
