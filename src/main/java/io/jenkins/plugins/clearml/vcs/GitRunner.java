package io.jenkins.plugins.clearml.vcs;

import io.jenkins.plugins.clearml.node.NodeProcesses;
import io.jenkins.plugins.clearml.node.ProcessResult;
import io.jenkins.plugins.clearml.node.ProcessSpec;
import io.jenkins.plugins.clearml.node.RunningProcess;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Runs git on the node, never interactively: standard input closed, terminal prompts off, SSH in batch mode,
 * credentials only through the askpass helper. Output is captured, and for long commands also streamed to the
 * console line by line, secrets masked.
 */
final class GitRunner {

    /** Variables that would point git at another repository than the one we name. */
    private static final List<String> INHERITED_GIT_STATE = List.of("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE",
            "GIT_OBJECT_DIRECTORY", "GIT_ALTERNATE_OBJECT_DIRECTORIES", "GIT_NAMESPACE", "GIT_CONFIG_PARAMETERS",
            "GIT_ASKPASS", "SSH_ASKPASS", "GIT_PREFIX",
            // Tracing that would print HTTP headers, including the Authorization header, to the console.
            "GIT_CURL_VERBOSE", "GIT_TRACE_CURL", "GIT_TRACE_CURL_NO_DATA", "GIT_TRACE_REDACT");

    private final NodeProcesses processes;
    private final Map<String, String> environment;
    private final List<String> configArgs;
    private final SecretMasker masker;
    private final Consumer<String> console;

    GitRunner(NodeProcesses processes, Map<String, String> environment, List<String> config, SecretMasker masker,
            Consumer<String> console) {
        this.processes = processes;
        this.environment = Map.copyOf(environment);
        List<String> args = new ArrayList<>();
        for (String kv : config) {
            args.add("-c");
            args.add(kv);
        }
        this.configArgs = List.copyOf(args);
        this.masker = masker;
        this.console = console;
    }

    /** The environment every git command gets; {@code nodeEnvironment} decides whether the user's SSH command is kept. */
    static Map<String, String> baseEnvironment(Map<String, String> nodeEnvironment) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("GIT_TERMINAL_PROMPT", "0");
        // Stalled transfers end instead of hanging a build: under 1 KB/s for a minute is a failure.
        env.put("GIT_HTTP_LOW_SPEED_LIMIT", "1000");
        env.put("GIT_HTTP_LOW_SPEED_TIME", "60");
        env.put("LC_ALL", "C");
        if (!nodeEnvironment.containsKey("GIT_SSH_COMMAND") && !nodeEnvironment.containsKey("GIT_SSH")) {
            env.put("GIT_SSH_COMMAND", "ssh -oBatchMode=yes -oConnectTimeout=30");
        }
        return env;
    }

    GitRunner withEnvironment(Map<String, String> extra) {
        Map<String, String> env = new LinkedHashMap<>(environment);
        env.putAll(extra);
        return new GitRunner(processes, env, unflag(configArgs), masker, console);
    }

    private static List<String> unflag(List<String> args) {
        List<String> kv = new ArrayList<>();
        for (int i = 1; i < args.size(); i += 2) {
            kv.add(args.get(i));
        }
        return kv;
    }

    SecretMasker masker() {
        return masker;
    }

    /** Runs git quietly and returns its exit code and output (secrets masked). */
    ProcessResult run(String dir, String... args) throws IOException, InterruptedException {
        return execute(dir, null, List.of(args), false);
    }

    /** Runs git with {@code stdin} as its standard input. */
    ProcessResult runWithInput(String dir, byte[] stdin, String... args)
            throws IOException, InterruptedException {
        return execute(dir, stdin, List.of(args), false);
    }

    /** Runs git, streaming its output to the console as it comes. */
    ProcessResult stream(String dir, String... args) throws IOException, InterruptedException {
        return execute(dir, null, List.of(args), true);
    }

    private ProcessResult execute(String dir, byte[] stdin, List<String> args, boolean toConsole)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add("git");
        command.addAll(configArgs);
        command.addAll(args);
        ProcessSpec spec = new ProcessSpec(command, dir, environment, INHERITED_GIT_STATE, stdin, masker.secrets());
        RunningProcess process = processes.start(spec);
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        ProgressLines lines = new ProgressLines(line -> console.accept(masker.mask(line)));
        Thread reader = new Thread(() -> pump(process.output(), captured, toConsole ? lines : null),
                "git-output");
        reader.setDaemon(true);
        reader.start();
        int code;
        try {
            code = process.waitFor();
            reader.join();
        } catch (InterruptedException e) {
            process.killTree();
            throw e;
        }
        return new ProcessResult(code, masker.mask(captured.toString(StandardCharsets.UTF_8)));
    }

    private static void pump(InputStream in, ByteArrayOutputStream captured, ProgressLines lines) {
        byte[] buffer = new byte[8192];
        try (in) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                synchronized (captured) {
                    captured.write(buffer, 0, n);
                }
                if (lines != null) {
                    lines.accept(buffer, n);
                }
            }
        } catch (IOException ignored) {
            // the process ended or was killed; its exit code tells what happened
        } finally {
            if (lines != null) {
                lines.finish();
            }
        }
    }
}
