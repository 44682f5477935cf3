package io.jenkins.plugins.clearml.python;

import io.jenkins.plugins.clearml.node.NodeProcesses;
import io.jenkins.plugins.clearml.node.ProcessSpec;
import io.jenkins.plugins.clearml.node.RunningProcess;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;

/**
 * Runs a long command (venv creation, pip install) and streams its output to the console line by line as it
 * comes, keeping the last lines for the error message. An interrupt (the run is aborted) kills the command at
 * once, even while it prints nothing.
 */
final class ProcessOutput {

    /** Exit code and the last lines of a streamed command. */
    record Result(int exitCode, List<String> tail) {

        boolean succeeded() {
            return exitCode == 0;
        }
    }

    private static final int KEPT_LINES = 40;
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration PUMP_GRACE = Duration.ofSeconds(30);

    private ProcessOutput() {
    }

    /**
     * @throws IOException when the program cannot be started at all
     */
    static Result stream(NodeProcesses processes, ProcessSpec spec, Consumer<String> console)
            throws IOException, InterruptedException {
        RunningProcess process = processes.start(spec);
        Deque<String> tail = new ArrayDeque<>();
        Thread pump = new Thread(() -> pump(process, console, tail), "output-" + spec.command().get(0));
        pump.setDaemon(true);
        pump.start();
        try {
            while (!process.waitFor(POLL)) {
                // waitFor is interruptible: an abort lands here within one poll.
            }
            // The output ends with the process, unless a child it left behind still holds the pipe.
            pump.join(PUMP_GRACE.toMillis());
        } catch (InterruptedException e) {
            process.killTree();
            throw e;
        }
        synchronized (tail) {
            return new Result(process.waitFor(), List.copyOf(tail));
        }
    }

    private static void pump(RunningProcess process, Consumer<String> console, Deque<String> tail) {
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(process.output(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                console.accept(line);
                synchronized (tail) {
                    tail.addLast(line);
                    if (tail.size() > KEPT_LINES) {
                        tail.removeFirst();
                    }
                }
            }
        } catch (IOException closed) {
            // the process was killed: its exit code tells the rest
        }
    }
}
