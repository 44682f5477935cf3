package io.jenkins.plugins.clearml.execution;

import io.jenkins.plugins.clearml.logs.ConsoleLineSplitter;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.locks.LockSupport;

/**
 * Copies the task's merged stdout/stderr, line by line, to the console and the task log. Runs on its own thread.
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
    private static final int SMALL_READ = 4096;
    private static final long NAP_NANOS = 500_000L;

    /** The first output is flushed at once (the first line on the console is what users wait for). */
    private long lastFlush = System.nanoTime() - CONSOLE_FLUSH_NANOS;

    OutputPump(InputStream output, RunLog log) {
        this.output = output;
        this.log = log;
        this.splitter = new ConsoleLineSplitter(log::output);
    }

    @Override
    public void run() {
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = output) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                splitter.feed(buffer, 0, n);
                long now = System.nanoTime();
                if (now - lastFlush >= CONSOLE_FLUSH_NANOS) {
                    log.flushConsole();
                    lastFlush = now;
                }
                if (n < SMALL_READ) {
                    // A task writing line by line (python -u) would wake us once per line: a short nap lets its
                    // lines gather in the pipe, so one read takes hundreds of them. The pipe (64 KiB) does not
                    // fill in that time, so the task never waits for us.
                    LockSupport.parkNanos(NAP_NANOS);
                }
            }
        } catch (IOException e) {
            // the stream was closed under us: the process is gone, or we gave up waiting for its last output
        } finally {
            splitter.finish();
            log.flushConsole();
            done = true;
        }
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
