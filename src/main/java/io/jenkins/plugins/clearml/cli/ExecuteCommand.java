package io.jenkins.plugins.clearml.cli;

import io.jenkins.plugins.clearml.client.ClearMLClient;
import io.jenkins.plugins.clearml.client.ClientSettings;
import io.jenkins.plugins.clearml.config.AgentConfig;
import io.jenkins.plugins.clearml.config.ConfigException;
import io.jenkins.plugins.clearml.config.ConfigLoader;
import io.jenkins.plugins.clearml.config.ConfigOverrides;
import io.jenkins.plugins.clearml.execution.ContainerOptions;
import io.jenkins.plugins.clearml.execution.ExecutionRequest;
import io.jenkins.plugins.clearml.execution.ExecutionResult;
import io.jenkins.plugins.clearml.execution.ExecutorOptions;
import io.jenkins.plugins.clearml.execution.RunSiteFactoryProvider;
import io.jenkins.plugins.clearml.execution.TaskExecutor;
import io.jenkins.plugins.clearml.execution.TaskRun;
import io.jenkins.plugins.clearml.node.NodeAccess;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code execute --id TASK}: reproduces and runs one task on this machine, as {@code clearml-agent execute --id}
 * does, and exits with the task's exit code. See docs/execute.md.
 */
@Command(name = "execute", mixinStandardHelpOptions = true,
        description = {"Reproduces and runs one ClearML task on this machine: clone its code at the recorded commit, "
                + "apply its uncommitted changes, build its Python environment, run its entry point, stream the "
                + "console to the task's log, honour an abort from the web UI, and report the final status.",
                "Exits with the task's exit code (1 when it failed before starting, 2 for a configuration error)."})
public final class ExecuteCommand implements Callable<Integer> {

    @Option(names = "--id", required = true, paramLabel = "TASK", description = "The id of the task to run.")
    String taskId;

    @Option(names = "--config-file", paramLabel = "FILE",
            description = "clearml.conf to read instead of CLEARML_CONFIG_FILE or ~/clearml.conf.")
    String configFile;

    @Option(names = "--docker", arity = "0..1", fallbackValue = "", paramLabel = "IMAGE",
            description = "Run inside a container: IMAGE, else the task's image, else agent.default_docker.image.")
    String docker;

    @Option(names = "--gpus", paramLabel = "LIST",
            description = "GPUs for the task, e.g. 0 or 0,1 (sets CUDA_VISIBLE_DEVICES / NVIDIA_VISIBLE_DEVICES).")
    String gpus;

    @Option(names = "--log-level", defaultValue = "INFO", paramLabel = "LEVEL",
            description = "CLEARML_LOG_LEVEL given to the task: DEBUG, INFO, WARNING, ERROR (default ${DEFAULT-VALUE}).")
    String logLevel;

    @Option(names = "--worker-id", paramLabel = "ID",
            description = "Report as this worker (default: CLEARML_WORKER_ID, agent.worker_id, else <host>:<pid>).")
    String workerId;

    @Option(names = "--require-queue",
            description = "Refuse to run the task unless it is queued (it is dequeued first).")
    boolean requireQueue;

    @Option(names = "--keep-workspace", description = "Keep the run's folder (code, generated config) afterwards.")
    boolean keepWorkspace;

    @Override
    public Integer call() throws InterruptedException {
        AgentConfig config;
        try {
            config = ConfigLoader.forThisMachine()
                    .load(ConfigOverrides.NONE.withConfigFile(configFile).withWorkerId(workerId));
        } catch (ConfigException e) {
            System.err.println("clearml-agent-cli: " + e.getMessage());
            return 2;
        }
        NodeAccess node = NodeAccess.local();
        String worker = config.workerId().isBlank()
                ? config.workerName() + ":" + ProcessHandle.current().pid()
                : config.workerId();
        ExecutorOptions options = ExecutorOptions.defaults().withLogLevel(logLevel).withKeepRunDir(keepWorkspace);
        ContainerOptions container = null;
        if (docker != null) {
            container = new ContainerOptions(docker.isBlank() ? null : docker);
            options = options.withDockerSites(RunSiteFactoryProvider.findDockerSites(config, node));
        }
        ExecutionRequest request = new ExecutionRequest(taskId, container, gpuList(gpus), worker, true, requireQueue);
        StdoutConsole console = new StdoutConsole();
        try (ClearMLClient client = new ClearMLClient(ClientSettings.of(config.endpoint(), config.credentials(), worker))) {
            TaskExecutor executor = new TaskExecutor(client, config, node, options);
            TaskRun run = executor.start(request, console);
            Thread onSignal = new Thread(() -> abortAndWait(run), "clearml-shutdown");
            Runtime.getRuntime().addShutdownHook(onSignal);
            ExecutionResult result = run.awaitResult();
            try {
                Runtime.getRuntime().removeShutdownHook(onSignal);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it waits for the same result
            }
            console.line(summary(result));
            console.flush();
            return result.exitCode();
        }
    }

    static String summary(ExecutionResult r) {
        String status = r.status() == null ? "unknown" : r.status().wireName();
        return "Task " + r.taskId() + " " + status + (r.reason() == null || r.reason().isBlank() ? "" : " (" + r.reason()
                + ")") + ", exit code " + r.exitCode() + ": " + r.taskUrl();
    }

    /** Ctrl-C or SIGTERM: abort the run (kill the task, mark it stopped) before the JVM exits. */
    private static void abortAndWait(TaskRun run) {
        run.abort("agent interrupted");
        try {
            run.awaitResult(Duration.ofSeconds(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static List<String> gpuList(String gpus) {
        if (gpus == null || gpus.isBlank() || gpus.equalsIgnoreCase("none")) {
            return List.of();
        }
        String g = gpus.trim().replace("\"", "");
        if (g.startsWith("device=")) {
            g = g.substring("device=".length());
        }
        return Arrays.stream(g.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}
