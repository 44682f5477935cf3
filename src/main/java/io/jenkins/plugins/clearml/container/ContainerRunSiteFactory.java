package io.jenkins.plugins.clearml.container;

import io.jenkins.plugins.clearml.execution.ContainerOptions;
import io.jenkins.plugins.clearml.execution.RunSite;
import io.jenkins.plugins.clearml.execution.RunSiteException;
import io.jenkins.plugins.clearml.execution.RunSiteFactory;
import io.jenkins.plugins.clearml.execution.SiteContext;
import io.jenkins.plugins.clearml.node.NodeFiles;
import io.jenkins.plugins.clearml.node.ProcessResult;
import io.jenkins.plugins.clearml.python.SkipInstall;
import java.io.IOException;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Docker mode: opens a container for a run, as the real agent's {@code --docker} does, but keeps the agent on the
 * host: the container is started detached with the workspace, venv folders and caches bind-mounted at the same
 * paths, and the engine's steps run in it through {@code docker exec} ({@link ContainerProcesses}).
 *
 * <p>Steps of {@link #open}: choose the image ({@link ContainerPlan}), check the task's arguments
 * ({@link DockerArgumentPolicy}), pull a missing image, start the container with secrets in an owner-only env file,
 * then run the task's setup script inside it. Every container carries the labels {@value #LABEL_AGENT},
 * {@value #LABEL_TASK} and {@value #LABEL_WORKER}, so that it can always be found and removed. Its PID 1 is the
 * {@link OrphanWatch} script fed by a {@link Heartbeat}, and it runs with {@code --rm}: a container whose agent died
 * stops and removes itself.
 */
public final class ContainerRunSiteFactory implements RunSiteFactory {

    public static final String LABEL_AGENT = "clearml-agent";
    public static final String LABEL_TASK = "clearml-task-id";
    public static final String LABEL_WORKER = "clearml-worker-id";
    /** Value of {@value #LABEL_AGENT} on every container this plugin starts. */
    public static final String AGENT_LABEL_VALUE = "clearml-jenkins";

    private static final List<String> SERVER_URL_VARIABLES = List.of(
            "CLEARML_API_HOST", "CLEARML_WEB_HOST", "CLEARML_FILES_HOST", "TRAINS_API_HOST");
    private static final Duration SHORT = Duration.ofMinutes(2);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final DockerSettings settings;

    public ContainerRunSiteFactory(DockerSettings settings) {
        this.settings = settings;
    }

    @Override
    public RunSite open(SiteContext context) throws RunSiteException, InterruptedException {
        Consumer<String> console = context.console();
        NodeFiles files = context.node().files();
        DockerCli docker = new DockerCli(context.node().processes(), settings.dockerCommand());
        Set<String> hidden = new LinkedHashSet<>(settings.hiddenEnvNames());
        hidden.addAll(SecretNames.parseList(context.node().environment().get("CLEARML_AGENT_DOCKER_ARGS_HIDE_ENV")));
        SecretNames secretNames = new SecretNames(hidden);
        // variables a later docker exec must not put on its command line: the secret-looking ones and the engine's
        hidden.addAll(context.secretEnvironment().keySet());
        SecretNames execSecretNames = new SecretNames(hidden);

        ContainerOptions options = context.request().container();
        ContainerPlan plan = ContainerPlan.of(context.task(), options, settings);
        console.accept("Docker image " + plan.image() + " (" + plan.source() + ")");
        List<DockerArgument> taskArguments = new DockerArgumentPolicy(settings.allowedTaskArguments())
                .filter(plan.taskArguments(), plan.trustedArguments(), console);

        ImagePuller puller = new ImagePuller(docker, console);
        puller.ensure(plan.image(), settings.forcePull());

        String name = containerName(context.task().id());
        String privateDir = files.resolve(files.tempDir(), "clearml-docker-" + randomHex(8));
        try {
            files.createDirectories(privateDir);
        } catch (IOException e) {
            throw new RunSiteException("cannot write on the node",
                    "Could not create " + privateDir + " on the node: " + e.getMessage(), e);
        }
        boolean started = false;
        try {
            ContainerSite site = start(context, docker, files, plan, taskArguments, name, privateDir, secretNames,
                    execSecretNames);
            started = true;
            try {
                new SetupScript(docker, name, context.workspaceDir(), console).run(plan.setupScript());
            } catch (RunSiteException | InterruptedException | RuntimeException e) {
                site.close();
                throw e;
            }
            return site;
        } finally {
            if (!started) {
                deleteQuietly(files, privateDir);
            }
        }
    }

    private ContainerSite start(SiteContext context, DockerCli docker, NodeFiles files, ContainerPlan plan,
            List<DockerArgument> taskArguments, String name, String privateDir, SecretNames secretNames,
            SecretNames execSecretNames) throws RunSiteException, InterruptedException {
        Consumer<String> console = context.console();
        GpuAssignment gpus = new GpuAssignment(context.request().gpus());
        String workerId = context.request().workerId() != null ? context.request().workerId()
                : context.node().hostName();

        // The task's environment as the container sees it at start; secrets are split off into the env file.
        Map<String, String> environment = new LinkedHashMap<>(context.environment());
        Map<String, String> siteEnvironment = new LinkedHashMap<>();
        // Set on the node, they hold for its containers too: the agent passes them on with -e.
        for (String variable : SkipInstall.VARIABLES) {
            String value = context.node().environment().get(variable);
            if (value != null && !value.isBlank()) {
                siteEnvironment.put(variable, value);
            }
        }
        siteEnvironment.put("CLEARML_DOCKER_IMAGE", plan.image());
        siteEnvironment.putAll(gpus.environment());
        String pipCache = pipCacheDir(files);
        siteEnvironment.put("PIP_CACHE_DIR", pipCache);
        environment.putAll(siteEnvironment);
        Map<String, String> secrets = new LinkedHashMap<>(context.secretEnvironment());
        environment.forEach((k, v) -> {
            if (secretNames.isSecret(k)) {
                secrets.put(k, v);
            }
        });
        secrets.keySet().forEach(environment::remove);

        List<String> args = new ArrayList<>(List.of("run", "-d", "--rm", "--name", name,
                "--label", LABEL_AGENT + "=" + AGENT_LABEL_VALUE,
                "--label", LABEL_TASK + "=" + context.task().id(),
                "--label", LABEL_WORKER + "=" + workerId));
        args.addAll(gpus.dockerOptions());
        args.addAll(DockerArgument.words(plan.trustedArguments()));
        args.addAll(DockerArgument.words(taskArguments));
        if (needsHostNetwork(context, plan.trustedArguments(), taskArguments)) {
            console.accept("The ClearML server is on this node's loopback address: the container shares the node's "
                    + "network (--network host) to reach it.");
            args.addAll(List.of("--network", "host"));
        }
        for (String dir : mounts(context, pipCache)) {
            try {
                files.createDirectories(dir); // docker would create it as root; podman refuses a missing one
            } catch (IOException e) {
                throw new RunSiteException("cannot write on the node",
                        "Could not create " + dir + " to mount it into the container: " + e.getMessage(), e);
            }
            args.addAll(List.of("--volume", dir + ":" + dir));
        }
        for (String file : configFiles(context, files)) {
            args.addAll(List.of("--volume", file + ":" + file + ":ro"));
        }
        // A folder, not the file: a bind-mounted file would keep showing the old one if the file were replaced.
        String heartbeatDir = files.resolve(privateDir, "heartbeat");
        String heartbeatFile = files.resolve(heartbeatDir, "beat");
        Heartbeat heartbeat = new Heartbeat(files, heartbeatFile, settings.orphanWatch().heartbeat(), name, console);
        try {
            heartbeat.beat();
        } catch (IOException e) {
            throw new RunSiteException("cannot write on the node",
                    "Could not write the container's heartbeat " + heartbeatFile + ": " + e.getMessage(), e);
        }
        args.addAll(List.of("--volume", heartbeatDir + ":" + heartbeatDir + ":ro"));
        environment.forEach((k, v) -> args.addAll(List.of("--env", k + "=" + v)));
        String envFile = files.resolve(privateDir, "container.env");
        if (!secrets.isEmpty()) {
            try {
                EnvFile.write(files, envFile, secrets);
            } catch (IOException e) {
                throw new RunSiteException("cannot pass the secrets to the container",
                        "Could not write the container's environment file: " + e.getMessage(), e);
            }
            args.addAll(List.of("--env-file", envFile));
        }
        args.addAll(List.of("--workdir", context.workspaceDir(), "--entrypoint", "/bin/sh", plan.image()));
        args.addAll(settings.orphanWatch().entrypointArguments(heartbeatFile));

        CommandMasker masker = new CommandMasker(secretNames, secrets.values());
        console.accept("Starting container: " + masker.display(docker.command(args)));
        ProcessResult run;
        try {
            run = docker.run(SHORT, args);
        } catch (IOException e) {
            throw dockerUnavailable(e);
        } catch (InterruptedException e) {
            removeQuietly(docker, name); // it may have started before the abort
            throw e;
        } finally {
            // The container holds the values now; the file is not needed any more.
            deleteQuietly(files, envFile);
        }
        if (!run.succeeded()) {
            removeQuietly(docker, name);
            throw new RunSiteException("docker run failed",
                    "Could not start a container from " + plan.image() + " (exit code " + run.exitCode() + "): "
                            + masker.maskText(run.tail(5)));
        }
        Map<String, String> started = new LinkedHashMap<>(environment);
        started.putAll(secrets);
        ContainerProcesses processes = new ContainerProcesses(docker, files, name, context.workspaceDir(), started,
                gpus.environment(), execSecretNames, privateDir);
        heartbeat.start();
        console.accept("Started container " + name + " (it removes itself if the agent is gone for "
                + settings.orphanWatch().timeoutSeconds() + " s)");
        return new ContainerSite(docker, files, name, plan.image(), processes, siteEnvironment, privateDir, heartbeat,
                console);
    }

    private String pipCacheDir(NodeFiles files) {
        if (settings.pipCacheDir() != null && !settings.pipCacheDir().isBlank()) {
            return settings.pipCacheDir();
        }
        return files.resolve(files.home(), ".clearml", "docker-pip-cache");
    }

    private static List<String> mounts(SiteContext context, String pipCache) {
        Set<String> dirs = new LinkedHashSet<>();
        dirs.add(context.workspaceDir());
        dirs.addAll(context.mountDirs());
        dirs.add(pipCache);
        dirs.removeIf(d -> d == null || d.isBlank());
        return List.copyOf(dirs);
    }

    /**
     * The task's {@code CLEARML_CONFIG_FILE} when it lies outside the mounted folders (an agent configured with
     * {@code --config-file ~/clearml.conf}): mounted read-only at the same path so that the SDK inside finds it.
     */
    private static List<String> configFiles(SiteContext context, NodeFiles files) throws InterruptedException {
        Set<String> out = new LinkedHashSet<>();
        for (String name : List.of("CLEARML_CONFIG_FILE", "TRAINS_CONFIG_FILE")) {
            String path = context.environment().get(name);
            if (path == null || !path.startsWith("/") || isUnder(path, context)) {
                continue;
            }
            try {
                if (files.exists(path) && !files.isDirectory(path)) {
                    out.add(path);
                }
            } catch (IOException e) {
                // unreadable: the task will report the missing configuration itself
            }
        }
        return List.copyOf(out);
    }

    private static boolean isUnder(String path, SiteContext context) {
        List<String> roots = new ArrayList<>(context.mountDirs());
        roots.add(context.workspaceDir());
        return roots.stream().filter(r -> r != null && !r.isBlank())
                .anyMatch(r -> path.startsWith(r.endsWith("/") ? r : r + "/"));
    }

    /**
     * A server on 127.0.0.1 is this node's, which a bridged container cannot reach under that address; sharing the
     * node's network keeps the URL valid. An administrator who sets {@code --network} decides instead.
     */
    private static boolean needsHostNetwork(SiteContext context, List<DockerArgument> trusted,
            List<DockerArgument> task) {
        boolean networkSet = trusted.stream().anyMatch(a -> a.flag().equals("--network"))
                || task.stream().anyMatch(a -> a.flag().equals("--network"));
        if (networkSet) {
            return false;
        }
        Map<String, String> all = new LinkedHashMap<>(context.environment());
        all.putAll(context.secretEnvironment());
        return SERVER_URL_VARIABLES.stream().map(all::get).anyMatch(ContainerRunSiteFactory::isLoopbackUrl);
    }

    static boolean isLoopbackUrl(String url) {
        if (url == null || url.isBlank()) {
            return false;
        }
        try {
            String host = URI.create(url.trim()).getHost();
            if (host == null) {
                return false;
            }
            host = host.toLowerCase(Locale.ROOT);
            return host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]") || host.equals("::1");
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** {@code clearml-<task id>-<random>}: unique, and a valid container name whatever the task id holds. */
    static String containerName(String taskId) {
        String safe = taskId == null ? "task" : taskId.replaceAll("[^A-Za-z0-9_.-]", "_");
        if (safe.length() > 40) {
            safe = safe.substring(0, 40);
        }
        return "clearml-" + safe + "-" + randomHex(4);
    }

    private static String randomHex(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    static RunSiteException dockerUnavailable(IOException e) {
        return new RunSiteException("docker not available",
                "Could not run docker on this node (" + e.getMessage() + "). Install Docker (or Podman with its "
                        + "docker command) on the node, or point agent.docker_command at it.", e);
    }

    private static void removeQuietly(DockerCli docker, String name) {
        try {
            docker.run(SHORT, "rm", "-f", name);
        } catch (IOException | InterruptedException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void deleteQuietly(NodeFiles files, String path) {
        try {
            files.deleteRecursively(path);
        } catch (IOException e) {
            // best effort: the folder is private to the agent's user
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
