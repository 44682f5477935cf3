package io.jenkins.plugins.clearml.cli;

import io.jenkins.plugins.clearml.client.ClearMLClient;
import io.jenkins.plugins.clearml.client.ClearMLException;
import io.jenkins.plugins.clearml.client.ClientSettings;
import io.jenkins.plugins.clearml.client.MachineStats;
import io.jenkins.plugins.clearml.config.AgentConfig;
import io.jenkins.plugins.clearml.config.ConfigException;
import io.jenkins.plugins.clearml.config.ConfigLoader;
import io.jenkins.plugins.clearml.config.ConfigOverrides;
import io.jenkins.plugins.clearml.dispatch.EngineTaskRunner;
import io.jenkins.plugins.clearml.dispatch.GpuDetector;
import io.jenkins.plugins.clearml.dispatch.PlacedTask;
import io.jenkins.plugins.clearml.dispatch.QueueDaemon;
import io.jenkins.plugins.clearml.dispatch.QueueOrder;
import io.jenkins.plugins.clearml.dispatch.QueueRef;
import io.jenkins.plugins.clearml.execution.Console;
import io.jenkins.plugins.clearml.metrics.MetricsSettings;
import io.jenkins.plugins.clearml.metrics.ResourceMonitor;
import io.jenkins.plugins.clearml.metrics.VisibleGpus;
import io.jenkins.plugins.clearml.node.NodeAccess;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code daemon}: serves ClearML queues on this machine with the dispatch core, like {@code clearml-agent daemon},
 * but able to run several tasks at once on disjoint GPU sets ({@code --gpus-per-task}). SIGTERM (or Ctrl-C) stops
 * taking tasks, lets the running ones finish (or stops them with {@code --stop-running}) and unregisters the
 * workers.
 */
@Command(name = "daemon", mixinStandardHelpOptions = true,
        description = "Serves ClearML queues on this machine: pulls tasks and runs them, several at once when "
                + "--gpus-per-task divides the GPUs.")
public final class DaemonCommand implements Callable<Integer> {

    @Option(names = "--queue", paramLabel = "NAME|ID",
            description = "Queue to serve, by name or id; repeat for several, first = highest priority "
                    + "(default: the server's default queue).")
    List<String> queues = new ArrayList<>();

    @Option(names = "--gpus", paramLabel = "LIST",
            description = "GPUs this daemon uses: 0,1 or 0-3 or MIG 0:1 (default: NVIDIA_VISIBLE_DEVICES, else all "
                    + "GPUs nvidia-smi lists, else none).")
    String gpus;

    @Option(names = "--gpus-per-task", paramLabel = "N", defaultValue = "0",
            description = "GPUs each task gets: the GPUs are split into groups of N, one task per group at once "
                    + "(default: every task gets all GPUs, one task at a time, like clearml-agent).")
    int gpusPerTask;

    @Option(names = "--docker", arity = "0..1", fallbackValue = "", paramLabel = "IMAGE",
            description = "Run each task in a container: IMAGE, else the task's own image, else "
                    + "agent.default_docker.image.")
    String docker;

    @Option(names = "--order-fairness",
            description = "Serve the queues round robin instead of the first queue first.")
    boolean orderFairness;

    @Option(names = "--foreground",
            description = "Print the tasks' output here (default: into a temporary log file, whose name is printed).")
    boolean foreground;

    @Option(names = "--stop-running",
            description = "On SIGTERM, stop the running tasks (marked stopped) instead of letting them finish.")
    boolean stopRunning;

    @Option(names = "--polling-interval", paramLabel = "SECONDS", defaultValue = "0.5",
            description = "Seconds between two reads of the queues (one request for all queues; default: "
                    + "${DEFAULT-VALUE}).")
    double pollingInterval;

    @Option(names = "--config-file", paramLabel = "FILE",
            description = "clearml.conf to read (default: CLEARML_CONFIG_FILE, else ~/clearml.conf).")
    String configFile;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (pollingInterval < 0.05 || pollingInterval > 300) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--polling-interval must be between 0.05 and 300 seconds, was " + pollingInterval);
        }
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        AgentConfig config;
        try {
            config = ConfigLoader.forThisMachine().load(ConfigOverrides.NONE.withConfigFile(configFile));
        } catch (ConfigException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        NodeAccess node = NodeAccess.local();
        List<String> gpuList = gpus(node);
        QueueDaemon.Options options;
        try {
            options = new QueueDaemon.Options(config.workerName(), queues, gpuList, gpusPerTask, docker,
                    orderFairness ? QueueOrder.FAIR : QueueOrder.PRIORITY,
                    Duration.ofMillis(Math.round(pollingInterval * 1000)));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        Function<PlacedTask, Console> consoles = consoles(out);
        try (ClearMLClient client = new ClearMLClient(ClientSettings.of(config.endpoint(), config.credentials(),
                        config.workerName()));
                ResourceMonitor monitor = ResourceMonitor.start(node, MetricsSettings.defaults(),
                        gpuList.isEmpty() ? VisibleGpus.none() : VisibleGpus.parse(String.join(",", gpuList)))) {
            client.login();
            EngineTaskRunner runner = new EngineTaskRunner(client, config, node, options.workerName(), consoles);
            QueueDaemon daemon;
            try {
                daemon = new QueueDaemon(client, options, runner, shared(monitor.machineStats()),
                        QueueDaemon.journalFile(Path.of(System.getProperty("user.home")), options));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
            out.println("ClearML daemon serving " + daemon.queues().stream().map(QueueRef::name)
                    .collect(Collectors.joining(", ")) + " on " + config.endpoint().apiUrl() + " as "
                    + options.workerName() + ": " + describe(options));
            CountDownLatch stopped = new CountDownLatch(1);
            Thread hook = new Thread(() -> {
                out.println("Stopping: no new tasks" + (stopRunning ? ", stopping the running ones" : ", waiting for the running ones to finish"));
                try {
                    daemon.shutdown(stopRunning, stopRunning ? Duration.ofMinutes(2) : Duration.ofDays(7));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                out.println("ClearML daemon stopped; workers unregistered.");
                stopped.countDown();
            }, "clearml-daemon-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            daemon.start();
            stopped.await();
            return 0;
        } catch (ClearMLException e) {
            spec.commandLine().getErr().println("ClearML server error: " + e.getMessage());
            return 2;
        }
    }

    private List<String> gpus(NodeAccess node) throws InterruptedException {
        try {
            if (gpus != null && !gpus.isBlank() && !gpus.trim().equals("all")) {
                return GpuDetector.parseList(gpus);
            }
            String visible = System.getenv("NVIDIA_VISIBLE_DEVICES");
            if (gpus == null && visible != null && !visible.isBlank() && !visible.equals("all")) {
                return visible.equals("none") || visible.equals("void") ? List.of() : GpuDetector.parseList(visible);
            }
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--gpus: " + e.getMessage());
        }
        return GpuDetector.detect(node.processes());
    }

    private static String describe(QueueDaemon.Options o) {
        String gpus = o.gpus().isEmpty() ? "no GPU, one task at a time"
                : o.gpus().size() + " GPU(s) " + String.join(",", o.gpus()) + (o.gpusPerTask() == 0
                        ? ", one task at a time with all of them"
                        : ", " + o.gpusPerTask() + " per task, up to " + o.gpus().size() / o.gpusPerTask() + " at once");
        return gpus + (o.dockerImage() == null ? ", venv mode" : ", docker mode"
                + (o.dockerImage().isEmpty() ? "" : " (" + o.dockerImage() + ")"));
    }

    /** With --foreground each run's lines go to stdout prefixed by the task id, else to one temporary log file. */
    private Function<PlacedTask, Console> consoles(PrintStream out) throws IOException {
        if (foreground) {
            return task -> line -> out.println("[" + task.taskId() + "] " + line);
        }
        Path log = Files.createTempFile(".clearml_agent_daemon_out", ".txt");
        PrintStream file = new PrintStream(Files.newOutputStream(log), true, StandardCharsets.UTF_8);
        out.println("Task output goes to " + log + " (use --foreground to print it here)");
        return task -> line -> file.println("[" + task.taskId() + "] " + line);
    }

    /**
     * One sampler window shared by every run's worker: each report takes the averages since the last one, so
     * reports of concurrent runs within a few seconds share the same figures instead of splitting the window.
     */
    static Supplier<MachineStats> shared(Supplier<MachineStats> window) {
        return new Supplier<>() {
            private MachineStats last;
            private long takenAt;

            @Override
            public synchronized MachineStats get() {
                long now = System.nanoTime();
                if (last == null || now - takenAt > Duration.ofSeconds(5).toNanos()) {
                    MachineStats fresh = window.get();
                    last = fresh != null ? fresh : last;
                    takenAt = now;
                }
                return last;
            }
        };
    }
}
