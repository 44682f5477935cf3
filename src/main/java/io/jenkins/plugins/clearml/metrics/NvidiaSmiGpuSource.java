package io.jenkins.plugins.clearml.metrics;

import io.jenkins.plugins.clearml.node.NodeProcesses;
import io.jenkins.plugins.clearml.node.ProcessSpec;
import io.jenkins.plugins.clearml.node.RunningProcess;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * GPU readings from ONE long-running {@code nvidia-smi --query-gpu=... -lms <period>} on the node: nvidia-smi pays
 * its start-up (loading NVML, attaching to every GPU) once instead of at every sample, which is what makes it
 * cheap enough to run beside a task (see docs/benchmarks.md). A reader thread keeps the latest line of each GPU;
 * {@link #read()} returns those that are fresh. If the process ends, it is started again at the next read, at most
 * {@value #MAX_STARTS} times in all, after which the source reads nothing (the agent likewise turns GPU monitoring
 * off after three failures).
 */
final class NvidiaSmiGpuSource implements GpuSource {

    static final int MAX_STARTS = 3;
    private static final Logger LOG = Logger.getLogger(NvidiaSmiGpuSource.class.getName());

    private final NodeProcesses processes;
    private final Duration period;
    private final String executable;
    private final Map<Integer, Stamped> latest = new TreeMap<>();
    private volatile RunningProcess process;
    private volatile Thread reader;
    private int starts;
    private int lastIndex = Integer.MAX_VALUE;
    private int rounds; // loop rounds read to their end: an index not above the previous one starts a new round
    private volatile boolean closed;

    private record Stamped(GpuReading reading, long nanos) {
    }

    NvidiaSmiGpuSource(NodeProcesses processes, Duration period, String executable) {
        this.processes = processes;
        this.period = period;
        this.executable = executable;
    }

    /** The command line: one process that prints a line per GPU every {@code period}. */
    static List<String> command(String executable, Duration period) {
        return List.of(executable, "--query-gpu=" + NvidiaSmiCsv.QUERY, "--format=csv,noheader,nounits",
                "-lms", Long.toString(Math.max(100, period.toMillis())));
    }

    /**
     * Starts nvidia-smi and waits (at most {@code wait}) for its first round of readings, so that the first sample
     * has every GPU. Returns false, with nothing left running, if there is no nvidia-smi, it fails (no driver, no
     * GPU), or it prints no reading.
     */
    boolean start(Duration wait) throws InterruptedException {
        if (!startProcess()) {
            return false;
        }
        long deadline = System.nanoTime() + wait.toNanos();
        try {
            while (System.nanoTime() < deadline) {
                synchronized (latest) {
                    if (rounds > 0) {
                        return true;
                    }
                    latest.wait(50);
                }
                if (!process.isAlive() && !reader.isAlive()) {
                    break;
                }
            }
        } catch (InterruptedException e) {
            close();
            throw e;
        }
        synchronized (latest) {
            if (!latest.isEmpty()) {
                return true;
            }
        }
        close();
        return false;
    }

    // synchronized with close(), so that a restart racing with close() cannot leave a process running
    private synchronized boolean startProcess() {
        if (closed || starts >= MAX_STARTS) {
            return false;
        }
        starts++;
        RunningProcess started;
        try {
            started = processes.start(ProcessSpec.of(command(executable, period), null));
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.FINE, "nvidia-smi could not be started", e);
            starts = MAX_STARTS; // not installed: no point in trying again
            return false;
        }
        process = started;
        reader = new Thread(() -> readLines(started), "clearml-nvidia-smi-reader");
        reader.setDaemon(true);
        reader.start();
        return true;
    }

    private void readLines(RunningProcess p) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.output(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                NvidiaSmiCsv.parseLine(line, NvidiaSmiCsv.FIELDS).ifPresent(r -> {
                    synchronized (latest) {
                        if (r.index() <= lastIndex && !latest.isEmpty()) {
                            rounds++;
                        }
                        lastIndex = r.index();
                        latest.put(r.index(), new Stamped(r, System.nanoTime()));
                        latest.notifyAll();
                    }
                });
            }
        } catch (IOException e) {
            // the process was killed or its pipe broke: handled as "ended" by read()
        }
    }

    @Override
    public List<GpuReading> read() {
        if (closed) {
            return List.of();
        }
        if (process != null && !process.isAlive() && !reader.isAlive()) {
            if (starts < MAX_STARTS) {
                LOG.fine("nvidia-smi ended; starting it again");
            }
            startProcess();
        }
        // A reading older than three periods (and two seconds) belongs to a GPU that stopped answering.
        long maxAge = Math.max(3 * period.toNanos(), Duration.ofSeconds(2).toNanos());
        long now = System.nanoTime();
        List<GpuReading> fresh = new ArrayList<>();
        synchronized (latest) {
            for (Stamped s : latest.values()) {
                if (now - s.nanos() <= maxAge) {
                    fresh.add(s.reading());
                }
            }
        }
        return fresh;
    }

    @Override
    public String name() {
        return "nvidia-smi";
    }

    @Override
    public synchronized void close() {
        closed = true;
        RunningProcess p = process;
        if (p != null) {
            try {
                p.killTree();
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, "could not stop nvidia-smi", e);
            }
        }
    }
}
