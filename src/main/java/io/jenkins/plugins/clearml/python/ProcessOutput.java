package io.jenkins.plugins.clearml.python;

import io.jenkins.plugins.clearml.node.NodeProcesses;
import io.jenkins.plugins.clearml.node.ProcessSpec;
import io.jenkins.plugins.clearml.node.RunningProcess;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;

/**
 * Runs a long command (venv creation, pip install) and streams its output to the console line by line as it
 * comes, keeping the last lines for the error message.
 */
final class ProcessOutput {

    /** Exit code and the last lines of a streamed command. */
    record Result(int exitCode, List<String> tail) {

        boolean succeeded() {
            return exitCode == 0;
        }

        String tailText() {
            return String.join("\n", tail);
        }
    }

    private static final int KEPT_LINES = 40;

    private ProcessOutput() {
    }

    /**
     * @throws IOException when the program cannot be started at all
     */
    static Result stream(NodeProcesses processes, ProcessSpec spec, Consumer<String> console)
            throws IOException, InterruptedException {
        RunningProcess process = processes.start(spec);
        Deque<String> tail = new ArrayDeque<>();
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(process.output(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                // pip redraws progress bars with carriage returns: show the final state of the line only.
                int cr = line.lastIndexOf('\r', line.length() - 2);
                String shown = cr >= 0 ? line.substring(cr + 1) : line;
                shown = shown.endsWith("\r") ? shown.substring(0, shown.length() - 1) : shown;
                console.accept(shown);
                tail.addLast(shown);
                if (tail.size() > KEPT_LINES) {
                    tail.removeFirst();
                }
                if (Thread.currentThread().isInterrupted()) {
                    throw new InterruptedException();
                }
            }
            return new Result(process.waitFor(), List.copyOf(tail));
        } catch (InterruptedException | IOException | RuntimeException e) {
            process.killTree();
            throw e;
        }
    }
}
