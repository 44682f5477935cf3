package io.jenkins.plugins.clearml.python;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.clearml.node.NodeFiles;
import io.jenkins.plugins.clearml.node.NodeProcesses;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The venv cache ({@code agent.venvs_cache.*}).
 *
 * <p>Unlike the real agent, which copies a cached venv over its build folder and back, venvs are built in the
 * cache folder and used there. A venv is not relocatable (its scripts' {@code #!} lines and {@code activate} carry
 * its absolute path), so a copy must land at the path it was built at, which concurrent runs on one node cannot
 * share; and copying a CUDA venv costs gigabytes of I/O per run. Reusing in place costs nothing. In exchange:
 * <ul>
 *   <li>runs lease the venv they use, and eviction never deletes a leased venv;</li>
 *   <li>a venv is fingerprinted by the modification time of its site-packages folder when its build ends; if a
 *       task later installs or removes packages in it, the fingerprint no longer matches and the venv is not
 *       reused again (it is deleted once its last run ends);</li>
 *   <li>every venv folder is registered in the index before it is built, so a folder the index does not know was
 *       left by a crash and is deleted.</li>
 * </ul>
 * The index file is changed only under {@link CacheLock}; builds run outside it.
 */
final class VenvCache {

    static final String INDEX = "index.json";
    static final String PYVENV_CFG = "pyvenv.cfg";
    static final Duration LOCK_TIMEOUT = Duration.ofMinutes(2);
    /** A run that never released its lease (its JVM died) stops protecting the venv after this long. */
    static final Duration LEASE_EXPIRY = Duration.ofDays(14);
    private static final String VENV_PREFIX = "venv-";
    private static final String TRASH = ".trash";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();

    /** The cache could not be used now (lock busy, folder not writable); the run goes on without it. */
    static final class Unavailable extends Exception {
        Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Remembered interpreter searches are redone after this long even if the interpreter file is unchanged. */
    static final Duration MEMO_LIFETIME = Duration.ofDays(1);

    @FunctionalInterface
    private interface Change<T> {
        T apply(List<CacheEntry> entries, List<String> trash) throws IOException, InterruptedException;
    }

    @FunctionalInterface
    private interface FullChange<T> {
        T apply(List<CacheEntry> entries, List<InterpreterMemo> interpreters, List<String> trash)
                throws IOException, InterruptedException;
    }

    private final String dir;
    private final int maxEntries;
    private final NodeFiles files;
    private final NodeProcesses processes;
    private final Consumer<String> console;

    VenvCache(String dir, int maxEntries, NodeFiles files, NodeProcesses processes, Consumer<String> console) {
        this.dir = dir;
        this.maxEntries = maxEntries;
        this.files = files;
        this.processes = processes;
        this.console = console;
    }

    String pathOf(String entryDir) {
        return files.resolve(dir, entryDir);
    }

    /** Finds a reusable venv for {@code key} and leases it to the run {@code token}. */
    Optional<CacheEntry> lease(String key, String token) throws Unavailable, InterruptedException {
        return locked((entries, trash) -> {
            List<CacheEntry> matching = entries.stream().filter(e -> e.keys().contains(key))
                    .sorted(Comparator.comparingLong(CacheEntry::lastUsed).reversed()).toList();
            for (CacheEntry candidate : matching) {
                int at = entries.indexOf(candidate);
                String path = pathOf(candidate.dir());
                if (!files.exists(files.resolve(path, PYVENV_CFG))) {
                    entries.remove(at);
                    trash.add(candidate.dir());
                    continue;
                }
                if (!unchanged(candidate)) {
                    console.accept("::: Cached environment " + path + " was modified after it was built (packages "
                            + "installed or removed in it): it is no longer reused :::");
                    entries.set(at, candidate.withoutKeys());
                    continue;
                }
                CacheEntry leased = candidate.withLease(token, System.currentTimeMillis());
                entries.set(at, leased);
                return Optional.of(leased);
            }
            return Optional.empty();
        });
    }

    private boolean unchanged(CacheEntry entry) throws InterruptedException {
        try {
            return files.lastModified(entry.sitePackages()) == entry.fingerprint();
        } catch (IOException gone) {
            return false;
        }
    }

    /** Registers a new, empty venv folder leased to {@code token} and returns its path; the build comes next. */
    String reserve(String token) throws Unavailable, InterruptedException {
        byte[] id = new byte[6];
        RANDOM.nextBytes(id);
        String name = VENV_PREFIX + HexFormat.of().formatHex(id);
        return locked((entries, trash) -> {
            entries.add(CacheEntry.reserved(name, token, System.currentTimeMillis()));
            return pathOf(name);
        });
    }

    /**
     * Records a finished build under its keys (none: the venv is private to its run) and evicts the least recently
     * used venvs beyond the limit. Other venvs that answered the same keys stop answering them.
     */
    void commit(String venvPath, String token, List<String> keys, String pythonVersion, List<String> sysPath,
            String frozen, String sitePackages, long fingerprint) throws Unavailable, InterruptedException {
        String name = nameOf(venvPath);
        locked((entries, trash) -> {
            long now = System.currentTimeMillis();
            Set<String> claimed = new HashSet<>(keys);
            for (int i = 0; i < entries.size(); i++) {
                CacheEntry e = entries.get(i);
                if (!e.dir().equals(name) && e.keys().stream().anyMatch(claimed::contains)) {
                    List<String> rest = e.keys().stream().filter(k -> !claimed.contains(k)).toList();
                    entries.set(i, e.built(rest, e.pythonVersion(), e.sysPath(), e.frozen(), e.sitePackages(),
                            e.fingerprint(), e.lastUsed()));
                }
            }
            CacheEntry mine = entries.stream().filter(e -> e.dir().equals(name)).findFirst()
                    .orElse(CacheEntry.reserved(name, token, now));
            entries.remove(mine);
            entries.add(mine.withLease(token, now).built(keys, pythonVersion, sysPath, frozen, sitePackages,
                    fingerprint, now));
            evict(entries, trash, now);
            return null;
        });
    }

    /** Ends the run's lease; a venv nobody can reuse is deleted now. */
    void release(String venvPath, String token) throws Unavailable, InterruptedException {
        String name = nameOf(venvPath);
        locked((entries, trash) -> {
            entries.replaceAll(e -> e.dir().equals(name) ? e.withoutLease(token) : e);
            evict(entries, trash, System.currentTimeMillis());
            return null;
        });
    }

    /**
     * The interpreter a previous search found for {@code request}, if its file is unchanged. Read without the lock:
     * the index is replaced atomically, and a stale answer only costs a new search.
     */
    Optional<InterpreterMemo> rememberedInterpreter(String request) throws InterruptedException {
        try {
            String index = files.resolve(dir, INDEX);
            if (!files.exists(index)) {
                return Optional.empty();
            }
            Optional<InterpreterMemo> memo = JSON.readValue(files.readString(index), CacheIndex.class)
                    .interpreters().stream().filter(m -> m.request().equals(request)).findFirst();
            if (memo.isEmpty() || System.currentTimeMillis() - memo.get().probedAt() > MEMO_LIFETIME.toMillis()
                    || files.lastModified(memo.get().executable()) != memo.get().executableModified()) {
                return Optional.empty();
            }
            return memo;
        } catch (IOException gone) {
            return Optional.empty(); // no index yet, or the interpreter file is gone
        }
    }

    /** Remembers what the interpreter search found for {@code request}. */
    void rememberInterpreter(String request, Interpreter interpreter, String warning)
            throws Unavailable, InterruptedException {
        long modified;
        try {
            modified = files.lastModified(interpreter.executable());
        } catch (IOException notOnThisSide) {
            return; // e.g. the interpreter lives in a container image: nothing to check a memo against
        }
        lockedFull((entries, interpreters, trash) -> {
            interpreters.removeIf(m -> m.request().equals(request));
            interpreters.add(new InterpreterMemo(request, interpreter.command(), interpreter.executable(),
                    interpreter.version(), warning, modified, System.currentTimeMillis()));
            return null;
        });
    }

    /** Reads and writes a small index once, so that Jackson has its record readers ready before a run needs them. */
    static void warmUpJson() throws IOException {
        CacheIndex sample = new CacheIndex(CacheIndex.CURRENT_VERSION,
                List.of(CacheEntry.reserved(VENV_PREFIX + "0", "t", 0)),
                List.of(new InterpreterMemo("", "python3", "/usr/bin/python3", "3.0.0", "", 0, 0)));
        JSON.readValue(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(sample), CacheIndex.class);
    }

    /** The entries as the index records them now, for tests and diagnostics. */
    List<CacheEntry> entries() throws Unavailable, InterruptedException {
        return locked((entries, trash) -> List.copyOf(entries));
    }

    private void evict(List<CacheEntry> entries, List<String> trash, long now) throws IOException,
            InterruptedException {
        long staleBefore = now - LEASE_EXPIRY.toMillis();
        entries.replaceAll(e -> e.withoutStaleLeases(staleBefore));
        for (CacheEntry e : List.copyOf(entries)) {
            if (e.keys().isEmpty() && !e.inUse()) {
                entries.remove(e);
                trash.add(e.dir());
            }
        }
        List<CacheEntry> keyedOldestFirst = entries.stream().filter(e -> !e.keys().isEmpty())
                .sorted(Comparator.comparingLong(CacheEntry::lastUsed)).toList();
        int excess = keyedOldestFirst.size() - maxEntries;
        for (CacheEntry e : keyedOldestFirst) {
            if (excess <= 0) {
                break;
            }
            if (!e.inUse()) {
                entries.remove(e);
                trash.add(e.dir());
                excess--;
            }
        }
        Set<String> known = new HashSet<>();
        entries.forEach(e -> known.add(e.dir()));
        for (String name : files.list(dir)) {
            if (name.startsWith(VENV_PREFIX) && !known.contains(name) && !trash.contains(name)) {
                trash.add(name); // left by a crash: every venv is registered before it is built
            }
        }
    }

    private <T> T locked(Change<T> change) throws Unavailable, InterruptedException {
        return lockedFull((entries, interpreters, trash) -> change.apply(entries, trash));
    }

    private <T> T lockedFull(FullChange<T> change) throws Unavailable, InterruptedException {
        List<String> trash = new ArrayList<>();
        List<String> moved = new ArrayList<>();
        String trashDir = files.resolve(dir, TRASH);
        T result;
        try {
            files.createDirectories(dir);
            CacheLock lock = CacheLock.acquire(processes, files, dir, LOCK_TIMEOUT);
            if (lock == null) {
                throw new Unavailable("the venv cache " + dir + " stayed locked for " + LOCK_TIMEOUT.toMinutes()
                        + " minutes", null);
            }
            try (lock) {
                CacheIndex index = readIndex();
                List<CacheEntry> entries = new ArrayList<>(index.entries());
                List<InterpreterMemo> interpreters = new ArrayList<>(index.interpreters());
                result = change.apply(entries, interpreters, trash);
                writeIndex(new CacheIndex(CacheIndex.CURRENT_VERSION, entries, interpreters));
                // Renaming is quick and atomic: the slow deletion happens after the lock is released.
                for (String name : trash) {
                    if (files.exists(pathOf(name))) {
                        String target = files.resolve(trashDir, name + "." + System.nanoTime());
                        files.createDirectories(trashDir);
                        files.move(pathOf(name), target);
                        moved.add(target);
                    }
                }
            }
        } catch (IOException e) {
            throw new Unavailable("the venv cache " + dir + " cannot be used: " + e.getMessage(), e);
        }
        delete(moved);
        return result;
    }

    private void delete(List<String> evicted) throws InterruptedException {
        for (String path : evicted) {
            try {
                files.deleteRecursively(path);
            } catch (IOException e) {
                console.accept("WARNING: could not delete the evicted venv " + path + ": " + e.getMessage());
            }
        }
    }

    private CacheIndex readIndex() throws IOException, InterruptedException {
        String index = files.resolve(dir, INDEX);
        if (!files.exists(index)) {
            return CacheIndex.empty();
        }
        try {
            CacheIndex read = JSON.readValue(files.readString(index), CacheIndex.class);
            return read.version() == CacheIndex.CURRENT_VERSION ? read : CacheIndex.empty();
        } catch (com.fasterxml.jackson.core.JacksonException corrupt) {
            // Its venvs become unknown folders and are deleted: a cache is only ever a shortcut.
            console.accept("WARNING: the venv cache index " + index + " is unreadable; starting an empty cache");
            return CacheIndex.empty();
        }
    }

    private void writeIndex(CacheIndex index) throws IOException, InterruptedException {
        String path = files.resolve(dir, INDEX);
        String temp = path + ".tmp";
        files.writeString(temp, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(index), false);
        files.move(temp, path);
    }

    private static String nameOf(String venvPath) {
        return venvPath.substring(venvPath.lastIndexOf('/') + 1);
    }
}
