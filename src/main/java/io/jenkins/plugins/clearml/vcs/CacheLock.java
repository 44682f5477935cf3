package io.jenkins.plugins.clearml.vcs;

import io.jenkins.plugins.clearml.node.NodeAccess;
import io.jenkins.plugins.clearml.node.ProcessResult;
import io.jenkins.plugins.clearml.node.ProcessSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A lock on one cache entry, shared by every run on the node (several executors, several JVMs). It is a directory
 * made with {@code mkdir}, which is atomic on every POSIX file system, reached through the node's process port so
 * it works on a remote build agent. The holder refreshes a heartbeat file inside it; a lock whose heartbeat is older
 * than {@link #STALE_AFTER} belonged to a run that died, and is taken over.
 */
final class CacheLock implements AutoCloseable {

    static final Duration STALE_AFTER = Duration.ofSeconds(90);
    private static final Duration HEARTBEAT = Duration.ofSeconds(15);

    private final NodeAccess node;
    private final String path;
    private final ScheduledExecutorService heartbeat;

    private CacheLock(NodeAccess node, String path, ScheduledExecutorService heartbeat) {
        this.node = node;
        this.path = path;
        this.heartbeat = heartbeat;
    }

    /**
     * Waits up to {@code timeout} for the lock. Returns {@code null} when another live run holds it longer than
     * that (the caller then works without the cache).
     */
    static CacheLock acquire(NodeAccess node, String path, Duration timeout)
            throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        long pause = 100;
        while (true) {
            ProcessResult mkdir = node.processes().run(ProcessSpec.of("mkdir", path));
            if (mkdir.succeeded()) {
                return hold(node, path);
            }
            if (!node.files().isDirectory(path)) {
                // mkdir failed for another reason than "exists": a missing parent or a permission problem.
                throw new IOException("cannot create the cache lock " + path + ": " + mkdir.output().strip());
            }
            if (isStale(node, path)) {
                breakStale(node, path);
                continue;
            }
            if (Instant.now().isAfter(deadline)) {
                return null;
            }
            Thread.sleep(pause);
            pause = Math.min(pause * 2, 2000);
        }
    }

    private static CacheLock hold(NodeAccess node, String path) throws IOException, InterruptedException {
        String owner = node.files().resolve(path, "owner");
        node.files().write(owner, ("host=" + node.hostName() + "\npid=" + ProcessHandle.current().pid()
                + "\nsince=" + Instant.now() + "\n").getBytes(StandardCharsets.UTF_8), false);
        // Every time stamp of the lock comes from touch() on an existing file, whichever clock that uses.
        node.files().touch(owner);
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "vcs-cache-lock-heartbeat");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleAtFixedRate(() -> {
            try {
                node.files().touch(owner);
            } catch (IOException ignored) {
                // the next beat tries again
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, HEARTBEAT.toMillis(), HEARTBEAT.toMillis(), TimeUnit.MILLISECONDS);
        return new CacheLock(node, path, timer);
    }

    private static boolean isStale(NodeAccess node, String path) throws InterruptedException {
        try {
            String owner = node.files().resolve(path, "owner");
            // A lock without an owner file is being created right now, or its creator died in between.
            long beat = node.files().exists(owner) ? node.files().lastModified(owner) : node.files().lastModified(path);
            return nodeNow(node, path) - beat > STALE_AFTER.toMillis();
        } catch (IOException gone) {
            return false; // released meanwhile: the next mkdir will tell
        }
    }

    /**
     * "Now" on the clock that stamps the heartbeat, read from a file touched just now: a Jenkins controller's clock
     * may differ from its agent's by more than {@link #STALE_AFTER}, so the JVM's own clock cannot be compared.
     */
    private static long nodeNow(NodeAccess node, String path) throws IOException, InterruptedException {
        String probe = path + ".clock-" + Long.toHexString(System.nanoTime());
        try {
            node.files().touch(probe); // creates it
            node.files().touch(probe); // stamps it the way the heartbeat is stamped
            return node.files().lastModified(probe);
        } finally {
            node.files().deleteRecursively(probe);
        }
    }

    private static void breakStale(NodeAccess node, String path) throws InterruptedException {
        // Rename first, so two waiters cannot both delete: only one rename of the stale lock succeeds.
        String graveyard = path + ".stale-" + Long.toHexString(System.nanoTime());
        try {
            node.files().move(path, graveyard);
            node.files().deleteRecursively(graveyard);
        } catch (IOException ignored) {
            // someone else broke or released it
        }
    }

    @Override
    public void close() {
        heartbeat.shutdownNow();
        boolean interrupted = Thread.interrupted();
        try {
            node.files().deleteRecursively(path);
        } catch (IOException ignored) {
            // a stale lock is broken by the next run after STALE_AFTER
        } catch (InterruptedException e) {
            interrupted = true;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
