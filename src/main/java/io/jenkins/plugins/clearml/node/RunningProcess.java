package io.jenkins.plugins.clearml.node;

import java.io.InputStream;
import java.time.Duration;

/** A process started through {@link NodeProcesses}. */
public interface RunningProcess {

    /** Standard output and standard error, merged. Read it to the end, or the process may block. */
    InputStream output();

    /** Waits for the process to end and returns its exit code. */
    int waitFor() throws InterruptedException;

    /** Waits at most {@code timeout}; returns whether the process has ended. */
    boolean waitFor(Duration timeout) throws InterruptedException;

    boolean isAlive();

    /** Kills the process and every process it started (SIGKILL, no grace period), as the real agent does on abort. */
    void killTree();
}
