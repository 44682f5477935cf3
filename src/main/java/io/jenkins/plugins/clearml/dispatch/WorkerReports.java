package io.jenkins.plugins.clearml.dispatch;

import io.jenkins.plugins.clearml.client.ClearMLClient;
import io.jenkins.plugins.clearml.client.ClearMLException;
import io.jenkins.plugins.clearml.client.MachineStats;
import io.jenkins.plugins.clearml.client.StatusReport;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * Each claimed run as a ClearML worker, as the agent is one: {@code workers.register}, a status report with the
 * running task at once and every {@link DispatchSettings#statusReportInterval()} (what lets an Abort in the web UI
 * reach the run), {@code workers.unregister} when it ends. Failures are only logged, as by the agent.
 */
final class WorkerReports implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(WorkerReports.class.getName());

    private final ClearMLClient client;
    private final DispatchSettings settings;
    private final Supplier<MachineStats> machineStats;
    private final Clock clock;
    private final ScheduledExecutorService reporter =
            Executors.newSingleThreadScheduledExecutor(Dispatcher.daemonThreads("clearml-worker-reports"));

    WorkerReports(ClearMLClient client, DispatchSettings settings, Supplier<MachineStats> machineStats, Clock clock) {
        this.client = client;
        this.settings = settings;
        this.machineStats = machineStats;
        this.clock = clock;
    }

    /** Registers the run's worker and starts its reports; cancel the returned future before {@link #unregister}. */
    Future<?> register(ClaimedRun run) {
        List<String> queues = List.of(run.task().queue().id());
        try {
            client.registerWorker(run.workerId(), queues, settings.workerTimeoutSeconds());
            report(run, null);
        } catch (ClearMLException e) {
            LOG.warning("ClearML dispatcher: could not register worker " + run.workerId() + ": " + e.getMessage());
        }
        long every = settings.statusReportInterval().toMillis();
        return reporter.scheduleAtFixedRate(() -> {
            try {
                report(run, machineStats == null ? null : machineStats.get());
            } catch (ClearMLException | RuntimeException e) {
                LOG.fine(() -> "status report of " + run.workerId() + " failed: " + e.getMessage());
            }
        }, every, every, TimeUnit.MILLISECONDS);
    }

    void unregister(ClaimedRun run) {
        try {
            client.unregisterWorker(run.workerId());
        } catch (ClearMLException | RuntimeException e) {
            LOG.fine(() -> "unregister of " + run.workerId() + " failed: " + e.getMessage());
        }
    }

    private void report(ClaimedRun run, MachineStats stats) throws ClearMLException {
        String queue = run.task().queue().id();
        client.statusReport(new StatusReport(run.workerId(), clock.millis(), run.taskId(), queue, List.of(queue),
                stats, null));
    }

    @Override
    public void close() {
        reporter.shutdownNow();
    }
}
