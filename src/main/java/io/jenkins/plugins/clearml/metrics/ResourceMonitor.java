package io.jenkins.plugins.clearml.metrics;

import io.jenkins.plugins.clearml.client.ClearMLClient;
import io.jenkins.plugins.clearml.client.ClearMLException;
import io.jenkins.plugins.clearml.client.MachineStats;
import io.jenkins.plugins.clearml.client.ScalarEvent;
import io.jenkins.plugins.clearml.node.NodeAccess;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Watches a node while a task runs, on one daemon thread: samples it every {@link MetricsSettings#samplePeriod()},
 * writes the task's {@code :monitor:machine} / {@code :monitor:gpu} scalars every
 * {@link MetricsSettings#reportPeriod()} (and once more at {@link #close()}, so that a short task gets its figures
 * too), keeps the GPU summary of the run for the build page, and averages {@code machine_stats} for the worker's
 * status reports ({@link #machineStats()}).
 *
 * <pre>{@code
 * try (ResourceMonitor monitor = ResourceMonitor.start(node, settings, VisibleGpus.fromEnvironment(env), client, taskId)) {
 *     ... run the task; status reports call monitor.machineStats().get() ...
 *     action.setGpuSummary(monitor.gpuSummary());
 * }
 * }</pre>
 * Failures to sample or to report are logged and never reach the task.
 */
public final class ResourceMonitor implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ResourceMonitor.class.getName());

    private final NodeAccess node;
    private final MetricsSettings settings;
    private final VisibleGpus visible;
    private final ClearMLClient client;
    private final String taskId;
    private final Thread thread;
    private final StatsWindow statusWindow;
    private final StatsWindow scalarWindow;
    private final GpuRunSummary gpuSummary = new GpuRunSummary();
    private final List<Consumer<NodeSample>> listeners = new CopyOnWriteArrayList<>();
    private volatile NodeSample latest;
    private volatile String gpuSource = "starting";
    private volatile boolean closed;
    private long startNanos;
    private boolean reportFailureLogged;

    private ResourceMonitor(NodeAccess node, MetricsSettings settings, VisibleGpus visible, ClearMLClient client,
            String taskId) {
        this.node = node;
        this.settings = settings;
        this.visible = visible;
        this.client = client;
        this.taskId = taskId;
        this.statusWindow = new StatsWindow(settings.defaultGpuUtilization());
        this.scalarWindow = new StatsWindow(settings.defaultGpuUtilization());
        this.thread = new Thread(this::run, "clearml-metrics-" + node.hostName());
        this.thread.setDaemon(true);
    }

    /**
     * Starts watching the node; returns at once (opening the sampler, which may wait a few seconds for
     * nvidia-smi's first line, happens on the monitor's thread).
     *
     * @param client null, or {@code taskId} null, or scalars off in the settings: no task scalars are written
     */
    public static ResourceMonitor start(NodeAccess node, MetricsSettings settings, VisibleGpus visible,
            ClearMLClient client, String taskId) {
        ResourceMonitor monitor = new ResourceMonitor(Objects.requireNonNull(node, "node"),
                Objects.requireNonNull(settings, "settings"), Objects.requireNonNull(visible, "visible"), client,
                taskId);
        monitor.thread.start();
        return monitor;
    }

    /** Starts watching the node for status reports only (a worker between tasks): no task scalars. */
    public static ResourceMonitor start(NodeAccess node, MetricsSettings settings, VisibleGpus visible) {
        return start(node, settings, visible, null, null);
    }

    /** Calls {@code listener} with every sample, on the monitor's thread; it must be quick and must not throw. */
    public void addListener(Consumer<NodeSample> listener) {
        listeners.add(listener);
    }

    /**
     * For {@code workers.status_report}: each call returns the averages of the samples taken since the previous
     * call (the agent's report window) and starts a new window; null when no sample was taken in between.
     */
    public Supplier<MachineStats> machineStats() {
        return () -> {
            synchronized (statusWindow) {
                MachineStats stats = statusWindow.machineStats();
                statusWindow.clear();
                return stats;
            }
        };
    }

    /** A copy of the GPU summary of the run so far (peak and mean utilisation and memory, utilisation over time). */
    public GpuRunSummary gpuSummary() {
        synchronized (gpuSummary) {
            return gpuSummary.copy();
        }
    }

    /** The latest sample, or null before the first. */
    public NodeSample latest() {
        return latest;
    }

    /** {@code nvml}, {@code nvidia-smi}, {@code none}, or {@code starting} before the sampler is open. */
    public String gpuSourceName() {
        return gpuSource;
    }

    private boolean writesScalars() {
        return settings.taskScalars() && client != null && taskId != null;
    }

    private void run() {
        NodeSampler sampler;
        try {
            sampler = NodeSampler.open(node, settings, visible);
        } catch (InterruptedException e) {
            return;
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Machine monitoring of " + node.hostName() + " could not start", e);
            return;
        }
        gpuSource = sampler.gpuSourceName();
        long period = settings.samplePeriod().toNanos();
        long reportEvery = settings.reportPeriod().toNanos();
        startNanos = System.nanoTime();
        long nextSample = startNanos + period;
        long nextReport = startNanos + reportEvery;
        try {
            while (!closed) {
                long wait = nextSample - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                record(sampler.sample());
                long now = System.nanoTime();
                nextSample += period;
                if (nextSample < now) {
                    nextSample = now + period; // a slow sample (busy node): skip rather than catch up
                }
                if (now >= nextReport) {
                    reportScalars(now);
                    nextReport += reportEvery;
                    if (nextReport < now) {
                        nextReport = now + reportEvery;
                    }
                }
            }
        } catch (InterruptedException e) {
            // close(): fall through to the last report
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Machine monitoring of " + node.hostName() + " stopped", e);
        } finally {
            Thread.interrupted(); // the last report must not be cut short by close()'s interrupt
            reportScalars(System.nanoTime());
            sampler.close();
        }
    }

    private void record(NodeSample sample) {
        latest = sample;
        synchronized (statusWindow) {
            statusWindow.add(sample);
        }
        synchronized (scalarWindow) {
            scalarWindow.add(sample);
        }
        synchronized (gpuSummary) {
            gpuSummary.add(sample);
        }
        for (Consumer<NodeSample> l : listeners) {
            try {
                l.accept(sample);
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, "metrics listener failed", e);
            }
        }
    }

    private void reportScalars(long nowNanos) {
        List<ScalarEvent> events;
        synchronized (scalarWindow) {
            if (scalarWindow.isEmpty()) {
                return;
            }
            // The SDK's iteration when the task reports none of its own: whole seconds since the monitor started.
            long iteration = Math.round((nowNanos - startNanos) / 1e9);
            events = scalarWindow.sdkScalars(taskId, iteration, System.currentTimeMillis());
            scalarWindow.clear();
        }
        if (!writesScalars() || events.isEmpty()) {
            return;
        }
        try {
            client.addScalarEvents(events);
        } catch (ClearMLException | RuntimeException e) {
            if (!reportFailureLogged) {
                reportFailureLogged = true;
                LOG.log(Level.WARNING, "Could not report machine monitoring scalars of task " + taskId
                        + " (further failures are not logged)", e);
            }
        }
    }

    /** Stops sampling, writes the last scalars, stops nvidia-smi; waits at most 15 s. Never throws. */
    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(Duration.ofSeconds(15).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
