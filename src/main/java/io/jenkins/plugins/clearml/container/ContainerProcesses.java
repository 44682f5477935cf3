package io.jenkins.plugins.clearml.container;

import io.jenkins.plugins.clearml.node.NodeFiles;
import io.jenkins.plugins.clearml.node.NodeProcesses;
import io.jenkins.plugins.clearml.node.ProcessSpec;
import io.jenkins.plugins.clearml.node.RunningProcess;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Starts processes inside a running container with {@code docker exec}, as docker-workflow's {@code LauncherDecorator}
 * does: the argument vector, working directory and variables of each {@link ProcessSpec} are kept, so the engine's
 * steps run unchanged inside the container.
 *
 * <ul>
 *   <li>Variables the container already has with the same value are not repeated; secret ones (by name, or listed in
 *       {@link ProcessSpec#maskedValues()}) go through an owner-only {@code --env-file} deleted when the process ends,
 *       never on the command line.</li>
 *   <li>Variables to remove are removed with {@code env -u NAME} inside the container.</li>
 *   <li>Killing the {@code docker exec} client does not stop the process in the container, so every process records
 *       its pid inside the container and {@link RunningProcess#killTree()} kills its process tree there.</li>
 * </ul>
 */
final class ContainerProcesses implements NodeProcesses {

    /** Records the pid ($$ survives exec), then becomes the command. Constant: no argument is interpolated. */
    private static final String RECORD_PID = "echo $$ >\"$0\" 2>/dev/null; exec \"$@\"";

    /** Freezes then kills the tree rooted at the recorded pid, and its process group. Exit 3: no pid recorded yet. */
    private static final String KILL_TREE = String.join("\n",
            "p=$(cat \"$0\" 2>/dev/null); [ -n \"$p\" ] || exit 3",
            "all=''",
            "walk() { all=\"$all $1\"; kill -STOP \"$1\" 2>/dev/null;"
                    + " for c in $(cat /proc/$1/task/*/children 2>/dev/null); do walk \"$c\"; done; }",
            "walk \"$p\"",
            "kill -KILL $all 2>/dev/null",
            "kill -KILL -- \"-$p\" 2>/dev/null",
            "exit 0");

    private final DockerCli docker;
    private final NodeFiles files;
    private final String container;
    private final String defaultWorkingDir;
    private final Map<String, String> containerEnvironment;
    private final Map<String, String> forcedEnvironment;
    private final SecretNames secretNames;
    private final String privateDir;
    private final AtomicInteger counter = new AtomicInteger();
    private final Set<ContainerProcess> live = ConcurrentHashMap.newKeySet();

    /**
     * @param containerEnvironment the variables the container was started with (not repeated on each exec)
     * @param forcedEnvironment    variables whose container value wins over the spec's (GPU ordinals)
     * @param privateDir           owner-only folder on the node for per-process env files
     */
    ContainerProcesses(DockerCli docker, NodeFiles files, String container, String defaultWorkingDir,
            Map<String, String> containerEnvironment, Map<String, String> forcedEnvironment, SecretNames secretNames,
            String privateDir) {
        this.docker = docker;
        this.files = files;
        this.container = container;
        this.defaultWorkingDir = defaultWorkingDir;
        this.containerEnvironment = Map.copyOf(containerEnvironment);
        this.forcedEnvironment = Map.copyOf(forcedEnvironment);
        this.secretNames = secretNames;
        this.privateDir = privateDir;
    }

    @Override
    public RunningProcess start(ProcessSpec spec) throws IOException {
        int n = counter.incrementAndGet();
        String pidFile = "/tmp/.clearml-exec-" + n + ".pid";
        Map<String, String> env = new LinkedHashMap<>(spec.environment());
        forcedEnvironment.forEach((k, v) -> env.computeIfPresent(k, (name, old) -> v));
        env.entrySet().removeIf(e -> Objects.equals(containerEnvironment.get(e.getKey()), e.getValue()));

        List<String> args = new ArrayList<>(List.of("exec"));
        if (spec.stdin() != null) {
            args.add("-i");
        }
        args.add("-w");
        args.add(spec.workingDir() != null ? spec.workingDir() : defaultWorkingDir);
        Map<String, String> secret = new LinkedHashMap<>();
        env.forEach((name, value) -> {
            if (secretNames.isSecret(name) || spec.maskedValues().contains(value)) {
                secret.put(name, value);
            } else {
                args.add("-e");
                args.add(name + "=" + value);
            }
        });
        String envFile = null;
        if (!secret.isEmpty()) {
            envFile = files.resolve(privateDir, "exec-" + n + ".env");
            try {
                EnvFile.write(files, envFile, secret);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while writing " + envFile, e);
            }
            args.add("--env-file");
            args.add(envFile);
        }
        args.add(container);
        args.addAll(List.of("sh", "-c", RECORD_PID, pidFile));
        if (!spec.removeFromEnvironment().isEmpty()) {
            args.add("env");
            for (String name : spec.removeFromEnvironment()) {
                args.add("-u");
                args.add(name);
            }
        }
        args.addAll(spec.command());
        RunningProcess client;
        try {
            client = docker.start(args, spec.stdin());
        } catch (IOException | RuntimeException e) {
            deleteQuietly(envFile);
            throw e;
        }
        ContainerProcess process = new ContainerProcess(client, pidFile, envFile);
        live.add(process);
        return process;
    }

    /** Kills the host-side clients of every process still running; the container's removal ends the rest. */
    void killClients() {
        for (ContainerProcess p : List.copyOf(live)) {
            p.client.killTree();
            p.cleanUp();
        }
    }

    private void deleteQuietly(String path) {
        if (path == null) {
            return;
        }
        try {
            files.deleteRecursively(path);
        } catch (IOException e) {
            // the site's private folder is deleted when it closes
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A process inside the container, seen through its {@code docker exec} client. */
    private final class ContainerProcess implements RunningProcess {

        private final RunningProcess client;
        private final String pidFile;
        private final String envFile;

        ContainerProcess(RunningProcess client, String pidFile, String envFile) {
            this.client = client;
            this.pidFile = pidFile;
            this.envFile = envFile;
        }

        @Override
        public InputStream output() {
            return client.output();
        }

        @Override
        public int waitFor() throws InterruptedException {
            int code = client.waitFor();
            cleanUp();
            return code;
        }

        @Override
        public boolean waitFor(Duration timeout) throws InterruptedException {
            boolean ended = client.waitFor(timeout);
            if (ended) {
                cleanUp();
            }
            return ended;
        }

        @Override
        public boolean isAlive() {
            return client.isAlive();
        }

        @Override
        public void killTree() {
            boolean interrupted = Thread.interrupted(); // an aborting thread must still be able to kill
            try {
                // The pid is written a moment after the client starts; wait for it while the client lives.
                for (int attempt = 0; attempt < 50; attempt++) {
                    int code = docker.run(Duration.ofSeconds(30), "exec", container, "sh", "-c", KILL_TREE, pidFile)
                            .exitCode();
                    if (code != 3 || !client.isAlive()) {
                        break;
                    }
                    Thread.sleep(100);
                }
            } catch (IOException e) {
                // the container is gone or docker is unreachable: nothing left to kill inside
            } catch (InterruptedException e) {
                interrupted = true;
            } finally {
                client.killTree();
                cleanUp();
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        void cleanUp() {
            live.remove(this);
            deleteQuietly(envFile);
        }
    }
}
