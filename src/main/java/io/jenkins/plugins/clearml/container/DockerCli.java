package io.jenkins.plugins.clearml.container;

import io.jenkins.plugins.clearml.node.ShellWords;
import io.jenkins.plugins.clearml.node.NodeProcesses;
import io.jenkins.plugins.clearml.node.ProcessResult;
import io.jenkins.plugins.clearml.node.ProcessSpec;
import io.jenkins.plugins.clearml.node.RunningProcess;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The {@code docker} command line of a node, run through the node's processes so that it works on a remote Jenkins
 * agent as on the local machine. Works with Docker and with Podman (its {@code docker} shim or the real docker CLI
 * talking to Podman's socket): only plain CLI commands are used, never the Engine API directly.
 */
public final class DockerCli {

    private final NodeProcesses node;
    private final List<String> executable;

    /** @param dockerCommand the executable, possibly with leading words ({@code docker}, {@code sudo -n docker}) */
    public DockerCli(NodeProcesses node, String dockerCommand) {
        this.node = node;
        List<String> words = ShellWords.split(dockerCommand == null || dockerCommand.isBlank() ? "docker" : dockerCommand);
        this.executable = words.isEmpty() ? List.of("docker") : List.copyOf(words);
    }

    public NodeProcesses node() {
        return node;
    }

    /** {@code docker <args>} as an argument vector. */
    public List<String> command(List<String> args) {
        List<String> argv = new ArrayList<>(executable);
        argv.addAll(args);
        return argv;
    }

    public List<String> command(String... args) {
        return command(List.of(args));
    }

    public RunningProcess start(List<String> args, byte[] stdin) throws IOException {
        ProcessSpec spec = ProcessSpec.of(command(args), null);
        return node.start(stdin == null ? spec : spec.withStdin(stdin));
    }

    /** Runs to the end, killing the client after {@code timeout}; the output is merged stdout and stderr. */
    public ProcessResult run(Duration timeout, String... args) throws IOException, InterruptedException {
        return run(timeout, List.of(args));
    }

    public ProcessResult run(Duration timeout, List<String> args) throws IOException, InterruptedException {
        RunningProcess p = start(args, null);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Thread reader = new Thread(() -> copy(p.output(), out), "docker-output");
        reader.setDaemon(true);
        reader.start();
        try {
            if (!p.waitFor(timeout)) {
                p.killTree();
                reader.join(1000);
                return new ProcessResult(124, out.toString(StandardCharsets.UTF_8)
                        + "\n(docker " + String.join(" ", args.subList(0, Math.min(1, args.size())))
                        + " did not finish within " + timeout.toSeconds() + " s)");
            }
            int code = p.waitFor();
            reader.join(5000);
            synchronized (out) {
                return new ProcessResult(code, out.toString(StandardCharsets.UTF_8));
            }
        } catch (InterruptedException e) {
            p.killTree();
            throw e;
        }
    }

    /** Runs to the end, passing each output line to {@code lines}; returns the exit code and the last lines. */
    public ProcessResult stream(List<String> args, byte[] stdin, Consumer<String> lines)
            throws IOException, InterruptedException {
        RunningProcess p = start(args, stdin);
        List<String> tail = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.output(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                lines.accept(line);
                tail.add(line);
                if (tail.size() > 20) {
                    tail.remove(0);
                }
            }
            return new ProcessResult(p.waitFor(), String.join("\n", tail));
        } catch (InterruptedException | IOException | RuntimeException e) {
            p.killTree();
            throw e;
        }
    }

    private static void copy(InputStream in, ByteArrayOutputStream out) {
        byte[] buffer = new byte[8192];
        try (in) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                synchronized (out) {
                    out.write(buffer, 0, n);
                }
            }
        } catch (IOException ignored) {
            // the process was killed; what was read is kept
        }
    }
}
