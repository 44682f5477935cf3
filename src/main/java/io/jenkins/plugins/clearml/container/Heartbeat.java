package io.jenkins.plugins.clearml.container;

import io.jenkins.plugins.clearml.node.NodeFiles;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The agent's side of {@link OrphanWatch}: rewrites a file on the node (through {@link NodeFiles}, so from a Jenkins
 * controller too) with a new value every interval, on a daemon thread of its own, until closed. The value is a
 * counter with the time, so it changes on every beat whatever the clock does.
 */
final class Heartbeat implements AutoCloseable {

    private final NodeFiles files;
    private final String file;
    private final Duration interval;
    private final Consumer<String> warnings;
    private final CountDownLatch stop = new CountDownLatch(1);
    private final Thread thread;
    private long beats;
    private boolean failing;

    /** @param warnings receives one line when writing starts failing (not one per failed beat) */
    Heartbeat(NodeFiles files, String file, Duration interval, String name, Consumer<String> warnings) {
        this.files = files;
        this.file = file;
        this.interval = interval;
        this.warnings = warnings;
        this.thread = new Thread(this::beatUntilClosed, "clearml-container-heartbeat-" + name);
        this.thread.setDaemon(true);
    }

    /** Writes one beat now, on the caller's thread: the file exists before the container starts. */
    void beat() throws IOException, InterruptedException {
        beats++;
        files.writeString(file, beats + " " + Instant.now().getEpochSecond() + "\n", false);
    }

    /** Goes on beating every interval in the background. */
    void start() {
        thread.start();
    }

    private void beatUntilClosed() {
        try {
            while (!stop.await(interval.toMillis(), TimeUnit.MILLISECONDS)) {
                try {
                    beat();
                    failing = false;
                } catch (IOException e) {
                    if (!failing) {
                        warnings.accept("WARNING: could not write the heartbeat " + file + " (" + e.getMessage()
                                + "); the container stops by itself if this lasts.");
                    }
                    failing = true;
                }
            }
        } catch (InterruptedException e) {
            // closed while writing
        }
    }

    /** Stops beating and waits for a write in progress, so that nothing writes the file after this returns. */
    @Override
    public void close() {
        stop.countDown();
        if (!thread.isAlive() || thread == Thread.currentThread()) {
            return;
        }
        boolean interrupted = Thread.interrupted();
        try {
            thread.join(10_000);
            if (thread.isAlive()) {
                thread.interrupt(); // a write that hangs (a lost remote node): give up on it
                thread.join(5_000);
            }
        } catch (InterruptedException e) {
            interrupted = true;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
