package io.jenkins.plugins.clearml.execution;

import io.jenkins.plugins.clearml.logs.ConsoleLineSplitter;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.locks.LockSupport;

/**
 * Copies the task's merged stdout/stderr, line by line, to the console and the task log (plain lines in runs, one
 * call per read). Runs on its own thread.
 * The console is flushed at most every {@link #CONSOLE_FLUSH_NANOS} while output streams, and by
 * {@link #flushConsole()} on a timer when it pauses: a task printing line by line (python -u) then costs one
 * console write per 100 ms, not one per line. Progress bars that only rewrite their line are shown at their latest
 * state on each {@link #tick()}.
 */
final class OutputPump implements Runnable {

    private final InputStream output;
    private final RunLog log;
    private final ConsoleLineSplitter splitter;
    private volatile boolean done;
    static final long CONSOLE_FLUSH_NANOS = 100_000_000L;
    /** What the pipe from the task holds (Linux's default). */
    private static final int PIPE_BYTES = 64 * 1024;
    private static final long MAX_NAP_NANOS = 2_000_000L;
    private static final long MIN_NAP_NANOS = 50_000L;

    /** The first output is flushed at once (the first line on the console is what users wait for). */
    private long lastFlush = System.nanoTime() - CONSOLE_FLUSH_NANOS;

    OutputPump(InputStream output, RunLog log) {
        this.output = output;
        this.log = log;
        this.splitter = new ConsoleLineSplitter(log);
    }

    @Override
    public void run() {
        byte[] buffer = new byte[PIPE_BYTES];
        try (InputStream in = output) {
            long lastRead = System.nanoTime();
            int n;
            while ((n = in.read(buffer)) >= 0) {
                long now = System.nanoTime();
                splitter.feed(buffer, 0, n);
                if (now - lastFlush >= CONSOLE_FLUSH_NANOS) {
                    log.flushConsole();
                    lastFlush = now;
                }
                long nap = n < buffer.length ? napNanos(now - lastRead, n) : 0;
                if (nap > 0) {
                    LockSupport.parkNanos(nap);
                }
                lastRead = now;
            }
        } catch (IOException e) {
            // the stream was closed under us: the process is gone, or we gave up waiting for its last output
        } finally {
            splitter.finish();
            log.flushConsole();
            done = true;
        }
    }

    /**
     * How long to wait before the next read, the pipe being drained. A task writing line by line (python -u) would
     * wake us once per line; waiting lets its lines gather, so one read takes hundreds of them. The wait lasts as long
     * as the task, writing as fast as it just did, takes to fill a quarter of the pipe, and at most 2 ms: the task
     * never waits for room in the pipe, and the console never lags behind by more than that.
     */
    static long napNanos(long sinceLastRead, int bytesRead) {
        long nap = Math.min(MAX_NAP_NANOS, sinceLastRead * (PIPE_BYTES / 4) / Math.max(1, bytesRead));
        return nap < MIN_NAP_NANOS ? 0 : nap;
    }

    /** Called on the flush timer: a progress bar's latest state goes out even before its line ends. */
    void tick() {
        if (!done) {
            splitter.emitPendingProgress();
            log.flushConsole();
        }
    }

    /** Called every 100 ms: lines written just before a pause reach the console promptly. */
    void flushConsole() {
        log.flushConsole();
    }

    void closeStream() {
        try {
            output.close();
        } catch (IOException ignored) {
            // already closed
        }
    }
}
