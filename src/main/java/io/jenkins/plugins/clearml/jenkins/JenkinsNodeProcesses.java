package io.jenkins.plugins.clearml.jenkins;

import hudson.Launcher;
import hudson.Proc;
import io.jenkins.plugins.clearml.node.NodeProcesses;
import io.jenkins.plugins.clearml.node.ProcessSpec;
import io.jenkins.plugins.clearml.node.RunningProcess;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;

/**
 * The engine's process port on a Jenkins node: processes start through the build's {@link Launcher}, so they run on
 * the node of the enclosing {@code node {}} block (remote agents included) and inherit its environment and any
 * launcher decoration. Commands are never echoed ({@code quiet}): the engine logs them itself, with secrets masked.
 * Standard error is merged into standard output, as the port promises, because no separate stream is requested.
 */
public final class JenkinsNodeProcesses implements NodeProcesses {

    private final Launcher launcher;

    public JenkinsNodeProcesses(Launcher launcher) {
        this.launcher = launcher;
    }

    @Override
    public RunningProcess start(ProcessSpec spec) throws IOException {
        LaunchPlan plan = LaunchPlan.of(spec);
        Launcher.ProcStarter starter = launcher.launch()
                .cmds(plan.command())
                .envs(plan.environmentOverrides())
                .stdin(new ByteArrayInputStream(plan.stdin()))
                .readStdout()
                .quiet(true);
        if (plan.workingDir() != null) {
            starter = starter.pwd(plan.workingDir());
        }
        return new ProcProcess(starter.start());
    }

    /** A {@link Proc} seen through the engine's port. */
    static final class ProcProcess implements RunningProcess {

        /** How often {@link #waitFor(Duration)} asks the node whether the process still runs. */
        private static final long POLL_MILLIS = 100;

        private final Proc proc;

        ProcProcess(Proc proc) {
            this.proc = proc;
        }

        @Override
        public InputStream output() {
            return proc.getStdout();
        }

        @Override
        public int waitFor() throws InterruptedException {
            try {
                return proc.join();
            } catch (IOException e) {
                throw new UncheckedIOException("Lost the process on the node: " + e.getMessage(), e);
            }
        }

        @Override
        public boolean waitFor(Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (isAlive()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                Thread.sleep(Math.min(POLL_MILLIS, Math.max(1, left / 1_000_000)));
            }
            return true;
        }

        @Override
        public boolean isAlive() {
            try {
                return proc.isAlive();
            } catch (IOException e) {
                // The channel to the agent is gone, and with it the process.
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return true;
            }
        }

        /** Jenkins kills the process and every descendant it can find on the node (its process tree). */
        @Override
        public void killTree() {
            try {
                proc.kill();
            } catch (IOException e) {
                // The channel is gone: the agent kills what it launched when it loses the controller.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
