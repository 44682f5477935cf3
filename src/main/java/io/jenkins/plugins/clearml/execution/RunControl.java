package io.jenkins.plugins.clearml.execution;

import io.jenkins.plugins.clearml.metrics.GpuRunSummary;
import io.jenkins.plugins.clearml.node.RunningProcess;

/**
 * Stops a run from outside its thread (an abort seen on the server, {@link TaskRun#abort}): records why, kills the
 * task's process tree and interrupts the run's thread so that a step waiting on git, pip or a container gives up.
 * The first stop wins. Once the final status is being reported, stops are refused: the run has ended.
 */
final class RunControl {

    private final Thread runThread;
    private StopReason stop;
    private RunningProcess process;
    private boolean reporting;
    private GpuRunSummary gpuSummary;

    RunControl(Thread runThread) {
        this.runThread = runThread;
    }

    /** Returns whether this call stopped the run. */
    synchronized boolean stop(StopReason reason) {
        if (stop != null || reporting) {
            return false;
        }
        stop = reason;
        if (process != null) {
            process.killTree();
        } else {
            runThread.interrupt();
        }
        return true;
    }

    synchronized StopReason stopReason() {
        return stop;
    }

    synchronized boolean isStopped() {
        return stop != null;
    }

    /** The entry point's process: killed by a stop, now or later. */
    synchronized void attach(RunningProcess running) {
        this.process = running;
        if (stop != null) {
            running.killTree();
        }
    }

    synchronized void detach() {
        this.process = null;
    }

    /**
     * The run has ended: from now on stops are refused. Returns the stop that ended it, if any, and clears an
     * interrupt that a stop may have left on the run's thread so that the final calls can be made.
     */
    synchronized StopReason enterReporting() {
        reporting = true;
        Thread.interrupted();
        return stop;
    }

    /** Kept from the run's resource monitor when it stops, for whoever shows the run (the Jenkins build page). */
    synchronized void recordGpuSummary(GpuRunSummary summary) {
        gpuSummary = summary;
    }

    synchronized GpuRunSummary gpuSummary() {
        return gpuSummary;
    }
}
