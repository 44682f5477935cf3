package io.jenkins.plugins.clearml.python;

import io.jenkins.plugins.clearml.node.NodeFiles;
import io.jenkins.plugins.clearml.node.NodeProcesses;
import io.jenkins.plugins.clearml.node.ProcessResult;
import io.jenkins.plugins.clearml.node.ProcessSpec;
import java.io.IOException;
import java.time.Duration;

/**
 * A lock over the venv cache shared by every run on the node, in this JVM or another (a command-line agent next
 * to a Jenkins agent). The node ports offer no exclusive create, so the lock is a folder made with {@code mkdir},
 * which POSIX makes atomic: whoever creates it holds the lock. It guards only short index updates, never a build,
 * so a lock folder older than {@link #STALE_AFTER} was left by a crash and is broken.
 */
final class CacheLock implements AutoCloseable {

    static final Duration STALE_AFTER = Duration.ofMinutes(2);
    private static final long POLL_MILLIS = 50;

    private final NodeFiles files;
    private final String lockDir;

    private CacheLock(NodeFiles files, String lockDir) {
        this.files = files;
        this.lockDir = lockDir;
    }

    /**
     * Acquires the lock, waiting at most {@code timeout}.
     *
     * @return the held lock, or {@code null} if it stayed busy for {@code timeout}
     * @throws IOException when the lock folder cannot be made at all (no permission on the cache folder)
     */
    static CacheLock acquire(NodeProcesses processes, NodeFiles files, String cacheDir, Duration timeout)
            throws IOException, InterruptedException {
        String lockDir = files.resolve(cacheDir, ".clearml.lock");
        long deadline = System.nanoTime() + timeout.toNanos();
        int failedWithoutHolder = 0;
        while (true) {
            ProcessResult made = processes.run(ProcessSpec.of("mkdir", lockDir));
            if (made.succeeded()) {
                return new CacheLock(files, lockDir);
            }
            if (!files.exists(lockDir)) {
                // Released between the two calls, or mkdir cannot create it at all (permissions): retry a little.
                if (++failedWithoutHolder >= 3) {
                    throw new IOException("cannot create " + lockDir + ": " + made.output().strip());
                }
                continue;
            }
            failedWithoutHolder = 0;
            breakIfStale(files, cacheDir, lockDir);
            if (System.nanoTime() > deadline) {
                return null;
            }
            Thread.sleep(POLL_MILLIS);
        }
    }

    private static void breakIfStale(NodeFiles files, String cacheDir, String lockDir) throws InterruptedException {
        try {
            // The node's clock, not this JVM's: the node may be another machine.
            String clock = files.resolve(cacheDir, ".clearml.clock");
            files.touch(clock);
            if (files.lastModified(clock) - files.lastModified(lockDir) > STALE_AFTER.toMillis()) {
                files.deleteRecursively(lockDir);
            }
        } catch (IOException released) {
            // released between our mkdir and this check: the next attempt takes it
        }
    }

    @Override
    public void close() throws InterruptedException {
        try {
            files.deleteRecursively(lockDir);
        } catch (IOException e) {
            // left behind, it is broken as stale by the next run
        }
    }
}
