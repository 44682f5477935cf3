package io.jenkins.plugins.clearml.node;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Port through which the engine starts processes on the node that runs a task. Implemented with
 * {@link ProcessBuilder} for the command line and tests ({@link LocalNode}), and with a Jenkins
 * {@code Launcher} for build agents.
 */
public interface NodeProcesses {

    RunningProcess start(ProcessSpec spec) throws IOException;

    /** Runs a short command to its end and returns its exit code and merged output. */
    default ProcessResult run(ProcessSpec spec) throws IOException, InterruptedException {
        RunningProcess process = start(spec);
        try (InputStream in = process.output()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            int code = process.waitFor();
            return new ProcessResult(code, out.toString(StandardCharsets.UTF_8));
        } catch (InterruptedException | IOException | RuntimeException e) {
            process.killTree();
            throw e;
        }
    }
}
