package io.jenkins.plugins.clearml.container;

import io.jenkins.plugins.clearml.execution.RunSite;
import io.jenkins.plugins.clearml.node.NodeFiles;
import io.jenkins.plugins.clearml.node.NodeProcesses;
import io.jenkins.plugins.clearml.node.ProcessResult;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * A running container that a task's steps execute in ({@code docker exec}). Closing it kills and removes the
 * container; a JVM shutdown hook does the same if the agent is stopped (SIGTERM) before the run closes it. An agent
 * that dies without either (SIGKILL) stops its {@link Heartbeat}, and the container removes itself
 * ({@link OrphanWatch}).
 */
public final class ContainerSite implements RunSite {

    private final DockerCli docker;
    private final NodeFiles files;
    private final String name;
    private final String image;
    private final ContainerProcesses processes;
    private final Map<String, String> environment;
    private final String privateDir;
    private final Heartbeat heartbeat;
    private final Consumer<String> console;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread shutdownHook;

    ContainerSite(DockerCli docker, NodeFiles files, String name, String image, ContainerProcesses processes,
            Map<String, String> environment, String privateDir, Heartbeat heartbeat, Consumer<String> console) {
        this.docker = docker;
        this.files = files;
        this.name = name;
        this.image = image;
        this.processes = processes;
        this.environment = Map.copyOf(environment);
        this.privateDir = privateDir;
        this.heartbeat = heartbeat;
        this.console = console;
        this.shutdownHook = new Thread(this::removeContainer, "clearml-container-cleanup-" + name);
        try {
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the JVM is already stopping; close() will be the last chance
        }
    }

    /** The container's name (also what {@code docker exec} and {@code docker rm} address). */
    public String containerName() {
        return name;
    }

    public String image() {
        return image;
    }

    @Override
    public NodeProcesses processes() {
        return processes;
    }

    @Override
    public Map<String, String> environment() {
        return environment;
    }

    /**
     * The container's configured variables (the image's {@code ENV} and every {@code -e} it was started with), which
     * every process started in it sees. One {@code docker inspect}: it reads the container's record, where a
     * {@code docker exec ... env} would start a process in it (0.1 s against 0.02 s with Podman on an idle machine).
     */
    @Override
    public Map<String, String> variables(List<String> names) throws InterruptedException {
        Map<String, String> found = new LinkedHashMap<>();
        ProcessResult env;
        try {
            env = docker.run(Duration.ofSeconds(60), "inspect", "--type", "container", "--format",
                    "{{range .Config.Env}}{{println .}}{{end}}", name);
        } catch (IOException e) {
            return found; // as if unset: the run goes on as usual
        }
        if (!env.succeeded()) {
            return found;
        }
        for (String line : env.output().split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0 && names.contains(line.substring(0, eq))) {
                found.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return found;
    }

    @Override
    public String describe() {
        return "container " + name + " (" + image + ")";
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or about to; removing twice is harmless
        }
        processes.killClients();
        boolean removed = removeContainer();
        console.accept(removed ? "Removed container " + name
                : "WARNING: could not remove container " + name + "; remove it with: docker rm -f " + name);
    }

    /** Stops the heartbeat as if the agent had died: for tests of {@link OrphanWatch}. */
    void stopHeartbeat() {
        heartbeat.close();
    }

    /** Kills and removes the container and deletes the private folder; returns whether the container is gone. */
    private boolean removeContainer() {
        // An aborted run's thread is often interrupted: clean up anyway, and keep the interrupt for the caller.
        boolean interrupted = Thread.interrupted();
        boolean gone = false;
        try {
            // rm -f stops with SIGKILL at once through the Docker API; the podman shim first tries SIGTERM, which the
            // container's watchdog shell answers immediately. A container that removed itself (--rm, after its
            // watchdog fired) counts as gone: rm -f succeeds or says so.
            ProcessResult rm = docker.run(Duration.ofSeconds(60), "rm", "-f", name);
            gone = rm.succeeded() || absent(rm);
            if (!gone) {
                docker.run(Duration.ofSeconds(30), "kill", name);
                rm = docker.run(Duration.ofSeconds(60), "rm", "-f", name);
                ProcessResult inspect = docker.run(Duration.ofSeconds(30), "inspect", "--format", "{{.Id}}", name);
                gone = rm.succeeded() || absent(rm) || !inspect.succeeded() && absent(inspect);
            }
        } catch (IOException e) {
            gone = false;
        } catch (InterruptedException e) {
            interrupted = true;
        } finally {
            heartbeat.close(); // before the folder goes: a late beat would create it again
            try {
                files.deleteRecursively(privateDir);
            } catch (IOException e) {
                console.accept("WARNING: could not delete " + privateDir + ": " + e.getMessage());
            } catch (InterruptedException e) {
                interrupted = true;
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        return gone;
    }

    /** Docker's and Podman's words for a container that does not exist. */
    private static boolean absent(ProcessResult result) {
        String out = result.output().toLowerCase(Locale.ROOT);
        return out.contains("no such container") || out.contains("no such object");
    }
}
