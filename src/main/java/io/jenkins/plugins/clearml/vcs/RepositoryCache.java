package io.jenkins.plugins.clearml.vcs;

import io.jenkins.plugins.clearml.node.NodeAccess;
import io.jenkins.plugins.clearml.node.NodeFiles;
import io.jenkins.plugins.clearml.node.ProcessResult;
import java.io.IOException;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * The node's local cache of repositories ({@code agent.vcs_cache}): one bare copy per repository address, in
 * {@code <cache>/<folder>.<md5(url)>/<folder>.git}, kept up to date with {@code git fetch} so that a task only
 * downloads what changed since the last run. A workspace is then cloned from the cache on the local disk (object
 * files hard-linked), which costs no network transfer. Each entry is guarded by a {@link CacheLock}.
 */
final class RepositoryCache {

    private final NodeAccess node;
    private final String root;
    private final Duration lockTimeout;
    private final Consumer<String> console;

    RepositoryCache(NodeAccess node, String root, Duration lockTimeout, Consumer<String> console) {
        this.node = node;
        this.root = root;
        this.lockTimeout = lockTimeout;
        this.console = console;
    }

    /** What {@link #cloneInto} did. */
    record Outcome(boolean usedCache, ProcessResult failedFetch) {
    }

    /**
     * Updates the cache entry of {@code url} and clones it into {@code target}, under the entry's lock. A fetch
     * that fails because the remote is unreachable, refuses the credentials or is gone leaves the cached copy in
     * place and is returned in the outcome, so a commit already cached can still run; any other failure (a broken
     * or half-written entry) re-clones the entry. Returns {@code usedCache=false} without cloning when the lock
     * stays taken beyond the timeout.
     *
     * @param pinnedCommit the full commit id the task runs, or {@code null}: a cache entry that already holds it is
     *                     not fetched (a commit id names the same content forever, so a fetch cannot change what
     *                     runs, and skipping it saves a round trip to the server)
     */
    Outcome cloneInto(GitUrl url, GitRunner git, String target, String pinnedCommit)
            throws IOException, InterruptedException, RemoteException {
        NodeFiles files = node.files();
        files.createDirectories(root);
        String key = url.cacheKey();
        String entryDir = files.resolve(root, key);
        String entry = files.resolve(entryDir, url.folderName() + ".git");
        try (CacheLock lock = CacheLock.acquire(node, files.resolve(root, key + ".lock"), lockTimeout)) {
            if (lock == null) {
                console.accept("The repository cache entry " + entryDir + " is locked by another run for more than "
                        + lockTimeout.toSeconds() + " s; cloning without the cache.");
                return new Outcome(false, null);
            }
            Update update = update(url, git, entry, pinnedCommit);
            ProcessResult failedFetch = update.failedFetch();
            boolean fresh = update.fresh();
            ProcessResult local = localClone(git, entry, target);
            if (!local.succeeded() && !fresh) {
                console.accept("The cached copy in " + entry + " is damaged (" + lastLine(local) + "); cloning it again.");
                files.deleteRecursively(target);
                files.deleteRecursively(entry);
                cloneEntry(url, git, entry);
                local = localClone(git, entry, target);
            }
            if (!local.succeeded()) {
                throw new IOException("cloning from the repository cache " + entry + " failed: " + local.tail(5));
            }
            git.run(target, "remote", "set-url", "origin", url.url());
            return new Outcome(true, failedFetch);
        }
    }

    /** The entry was cloned just now ({@code fresh}), or fetched ({@code failedFetch} when that failed). */
    private record Update(boolean fresh, ProcessResult failedFetch) {
    }

    private Update update(GitUrl url, GitRunner git, String entry, String pinnedCommit)
            throws IOException, InterruptedException, RemoteException {
        NodeFiles files = node.files();
        if (looksLikeBareRepository(files, entry)) {
            if (pinnedCommit != null && git.run(entry, "cat-file", "-e", pinnedCommit + "^{commit}").succeeded()) {
                console.accept("The cached copy of " + url + " in " + entry + " already has commit " + pinnedCommit
                        + "; not fetching");
                return new Update(false, null);
            }
            console.accept("Updating the cached copy of " + url + " in " + entry);
            git.run(entry, "remote", "set-url", "origin", url.url());
            ProcessResult fetch = git.stream(entry, "fetch", "--prune", "--tags", "--force", "--progress", "origin");
            if (fetch.succeeded()) {
                return new Update(false, null);
            }
            if (RemoteFailure.of(fetch.output()) != RemoteFailure.OTHER) {
                return new Update(false, fetch);
            }
            console.accept("The cached copy in " + entry + " cannot be updated; cloning it again.");
        } else if (files.exists(entry)) {
            console.accept("The cached copy in " + entry + " is not a valid repository; cloning it again.");
        } else {
            console.accept("Cloning " + url + " into the repository cache " + entry);
        }
        files.deleteRecursively(entry);
        cloneEntry(url, git, entry);
        return new Update(true, null);
    }

    /** Work done with a cache entry as a source of objects; {@code entry} is {@code null} when the cache cannot help. */
    @FunctionalInterface
    interface WithEntry<T> {
        T run(String entry) throws IOException, InterruptedException, VcsException;
    }

    /**
     * Updates the cache entry of {@code url} and runs {@code action} with it while holding the entry's lock (so no
     * other run rewrites it meanwhile), e.g. to clone a submodule with the entry as {@code --reference}. When the
     * entry cannot be locked or brought up to date, {@code action} runs with {@code null} and reaches the server
     * on its own.
     */
    <T> T withEntry(GitUrl url, GitRunner git, WithEntry<T> action)
            throws IOException, InterruptedException, VcsException {
        NodeFiles files = node.files();
        files.createDirectories(root);
        String key = url.cacheKey();
        String entry = files.resolve(files.resolve(root, key), url.folderName() + ".git");
        try (CacheLock lock = CacheLock.acquire(node, files.resolve(root, key + ".lock"), lockTimeout)) {
            if (lock == null) {
                return action.run(null);
            }
            try {
                update(url, git, entry, null);
            } catch (RemoteException e) {
                return action.run(null);
            }
            return action.run(entry);
        }
    }

    private static ProcessResult localClone(GitRunner git, String entry, String target)
            throws IOException, InterruptedException {
        // A clone from a local path hard-links the object files (copying them when the workspace is on another
        // file system; an explicit --local would fail there instead): no transfer, and the workspace stays valid
        // when the cache changes later.
        return git.run(null, "clone", "--no-checkout", "--", entry, target);
    }

    /**
     * A bare repository's layout, checked on the file system instead of asking git (one process less per run):
     * an entry that has it but is damaged inside fails its fetch or clone, and is cloned again then.
     */
    private static boolean looksLikeBareRepository(NodeFiles files, String entry)
            throws IOException, InterruptedException {
        return files.isDirectory(entry) && files.exists(files.resolve(entry, "HEAD"))
                && files.exists(files.resolve(entry, "config")) && files.isDirectory(files.resolve(entry, "objects"))
                && files.isDirectory(files.resolve(entry, "refs"));
    }

    /** Clones next to the entry and renames into place, so an interrupted clone never looks like a valid entry. */
    private void cloneEntry(GitUrl url, GitRunner git, String entry)
            throws IOException, InterruptedException, RemoteException {
        NodeFiles files = node.files();
        String partial = entry + ".partial";
        files.deleteRecursively(partial);
        files.createDirectories(parentOf(entry));
        ProcessResult clone = git.stream(null, "clone", "--bare", "--progress", "--", url.url(), partial);
        if (!clone.succeeded()) {
            files.deleteRecursively(partial);
            throw new RemoteException(clone);
        }
        // Mirror branches and tags (not pull-request refs) so a later fetch brings exactly what changed.
        git.run(partial, "config", "--replace-all", "remote.origin.fetch", "+refs/heads/*:refs/heads/*");
        git.run(partial, "config", "--add", "remote.origin.fetch", "+refs/tags/*:refs/tags/*");
        files.move(partial, entry);
    }

    private static String parentOf(String path) {
        int slash = path.lastIndexOf('/');
        return slash <= 0 ? "/" : path.substring(0, slash);
    }

    private static String lastLine(ProcessResult r) {
        return r.tail(1);
    }

    /** Git could not clone from the remote; carries git's output for {@link RemoteFailure}. */
    static final class RemoteException extends Exception {
        private final transient ProcessResult result;

        RemoteException(ProcessResult result) {
            super(result.tail(3));
            this.result = result;
        }

        ProcessResult result() {
            return result;
        }
    }
}
