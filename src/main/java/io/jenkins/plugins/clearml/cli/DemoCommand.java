package io.jenkins.plugins.clearml.cli;

import io.jenkins.plugins.clearml.client.ClearMLClient;
import io.jenkins.plugins.clearml.client.ClientSettings;
import io.jenkins.plugins.clearml.config.AgentConfig;
import io.jenkins.plugins.clearml.config.ConfigException;
import io.jenkins.plugins.clearml.config.ConfigLoader;
import io.jenkins.plugins.clearml.config.ConfigOverrides;
import io.jenkins.plugins.clearml.execution.ExecutionRequest;
import io.jenkins.plugins.clearml.execution.ExecutionResult;
import io.jenkins.plugins.clearml.execution.ExecutorOptions;
import io.jenkins.plugins.clearml.execution.TaskExecutor;
import io.jenkins.plugins.clearml.localserver.LocalClearMLServer;
import io.jenkins.plugins.clearml.node.LocalNode;
import io.jenkins.plugins.clearml.node.NodeAccess;
import io.jenkins.plugins.clearml.node.ProcessResult;
import io.jenkins.plugins.clearml.node.ProcessSpec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code demo}: the whole engine on this machine, with nothing to set up but git and Python 3. Starts the in-process
 * ClearML server, turns the bundled {@code examples/} folder into a git repository, records a task that runs
 * {@code train.py} with {@code Args}, executes it exactly as {@code execute --id} would, and prints the console, the
 * task's final status and what the server received.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Runs an example task end to end against an in-process ClearML server (needs git and python3).")
public final class DemoCommand implements Callable<Integer> {

    static final List<String> EXAMPLE_FILES = List.of("train.py", "hello.py", "README.md");

    @Option(names = "--epochs", defaultValue = "3", description = "Args/epochs of the demo task (default ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--keep", description = "Keep the demo repository and run folder (their paths are printed).")
    boolean keep;

    @Override
    public Integer call() throws Exception {
        Path root = Files.createTempDirectory("clearml-demo-");
        StdoutConsole console = new StdoutConsole();
        try (LocalClearMLServer server = new LocalClearMLServer().start()) {
            say(console, "== In-process ClearML server at " + server.apiUrl());
            Path repo = exampleRepository(root.resolve("examples"));
            say(console, "== Example repository: " + repo + " (commit " + git(repo, "rev-parse", "HEAD").strip() + ")");

            AgentConfig config = new ConfigLoader(System.getenv(), System.getProperty("user.home"), "demo-host")
                    .loadWithoutFile(ConfigOverrides.NONE.withServer(server.apiUrl(),
                            server.credentials().accessKey(), server.credentials().secretKey()));
            String worker = "demo-host:" + ProcessHandle.current().pid();
            try (ClearMLClient client = new ClearMLClient(
                    ClientSettings.of(config.endpoint(), config.credentials(), worker))) {
                String taskId = client.createTask(taskFields(repo));
                say(console, "== Recorded task " + taskId + ": train.py --epochs=" + epochs + " from " + repo.toUri());
                say(console, "== Executing it as `execute --id " + taskId + "` would:");
                ExecutorOptions options = ExecutorOptions.defaults()
                        .withWorkspaceRoot(root.resolve("workspaces").toString())
                        .withKeepRunDir(keep)
                        .withSpillDir(root);
                ExecutionResult result = new TaskExecutor(client, config, NodeAccess.local(), options)
                        .execute(new ExecutionRequest(taskId, null, List.of(), worker, true, false), console);
                LocalClearMLServer.TaskSnapshot task = server.task(taskId);
                say(console, "");
                say(console, "== Final status: " + task.status() + " (" + task.statusReason() + "), exit code "
                        + result.exitCode());
                say(console, "== The server holds " + server.logLines(taskId).size() + " console lines in "
                        + server.logEventCount(taskId) + " log events; requests: " + server.requestCounts());
                return result.exitCode();
            }
        } catch (ConfigException e) {
            System.err.println("clearml-agent-cli demo: " + e.getMessage());
            return 2;
        } finally {
            console.flush();
            if (keep) {
                System.out.println("Kept " + root);
            } else {
                LocalNode.get().deleteRecursively(root.toString());
            }
        }
    }

    private Map<String, Object> taskFields(Path repo) {
        Map<String, Object> script = new LinkedHashMap<>();
        script.put("repository", repo.toUri().toString());
        script.put("branch", "main");
        script.put("entry_point", "train.py");
        script.put("working_dir", ".");
        script.put("binary", "python3");
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("epochs", param("epochs", Integer.toString(epochs)));
        args.put("lr", param("lr", "0.1"));
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("name", "Jenkins demo: train");
        fields.put("type", "training");
        fields.put("script", script);
        fields.put("hyperparams", Map.of("Args", args));
        return fields;
    }

    private static Map<String, Object> param(String name, String value) {
        return Map.of("section", "Args", "name", name, "value", value, "type", "str");
    }

    /** Copies the bundled examples into {@code dir} and commits them on branch main. */
    static Path exampleRepository(Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        for (String name : EXAMPLE_FILES) {
            try (InputStream in = DemoCommand.class.getResourceAsStream("/examples/" + name)) {
                if (in == null) {
                    throw new IOException("The example " + name + " is missing from the jar: rebuild it with "
                            + "`mvn -q -B package -DskipTests`.");
                }
                Files.copy(in, dir.resolve(name));
            }
        }
        git(dir, "init", "-q", "-b", "main");
        git(dir, "add", ".");
        git(dir, "-c", "user.name=ClearML demo", "-c", "user.email=demo@example.invalid", "commit", "-q", "-m",
                "Example task");
        return dir;
    }

    private static String git(Path dir, String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("git", "-C", dir.toString()));
        command.addAll(List.of(args));
        ProcessResult r = LocalNode.get().run(ProcessSpec.of(command, null));
        if (!r.succeeded()) {
            throw new IOException("git " + String.join(" ", args) + " failed: " + r.tail(5)
                    + " (the demo needs git 2.28 or later on the PATH)");
        }
        return r.output();
    }

    private static void say(StdoutConsole console, String line) {
        console.line(line);
        console.flush();
    }
}
