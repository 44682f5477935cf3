package io.jenkins.plugins.clearml.vcs;

import static io.jenkins.plugins.clearml.testsupport.git.TestGit.git;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.clearml.client.TaskScript;
import io.jenkins.plugins.clearml.testsupport.git.GitDaemon;
import io.jenkins.plugins.clearml.testsupport.git.RecordingNode;
import io.jenkins.plugins.clearml.testsupport.git.TestGit;
import io.jenkins.plugins.clearml.testsupport.git.TestRepository;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The node's repository cache, with repositories served by a real git daemon. */
class RepositoryCacheTest {

    @TempDir
    Path tmp;

    private TestRepository repo;
    private GitDaemon daemon;
    private RecordingNode node;
    private Path cache;
    private final List<String> console = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        repo = TestRepository.create(tmp.resolve("served"), "project");
        daemon = GitDaemon.start(tmp.resolve("served"));
        Files.createDirectories(tmp.resolve("node-tmp"));
        node = RecordingNode.local(tmp.resolve("node-tmp"));
        cache = tmp.resolve("cache");
    }

    @AfterEach
    void tearDown() {
        daemon.close();
    }

    private String url() {
        return daemon.url("project.git");
    }

    private PreparedCode prepare(String commit, String workspace) throws Exception {
        return prepare(commit, workspace, RepositoryPreparer.DEFAULT_LOCK_TIMEOUT);
    }

    private PreparedCode prepare(String commit, String workspace, Duration lockTimeout) throws Exception {
        RepositoryPreparer preparer = new RepositoryPreparer(node.access(),
                new GitSettings(null, null, null, cache.toString(), true, false), console::add, lockTimeout);
        return preparer.prepare(new TaskScript("python3", url(), "main", null, commit, "train.py", "", null,
                java.util.Map.of()), tmp.resolve(workspace).toString());
    }

    private Path cacheEntry() throws Exception {
        try (Stream<Path> entries = Files.list(cache)) {
            Path dir = entries.filter(p -> p.getFileName().toString().startsWith("project.")
                    && Files.isDirectory(p) && !p.toString().endsWith(".lock")).findFirst().orElseThrow();
            return dir.resolve("project.git");
        }
    }

    @Test
    void theCacheEntryIsKeyedLikeTheAgents() throws Exception {
        prepare(repo.head(), "ws");

        String md5 = GitUrl.md5(url());
        assertThat(cache.resolve("project." + md5 + "/project.git")).isDirectory();
        assertThat(git(cache.resolve("project." + md5 + "/project.git"), "rev-parse", "--is-bare-repository"))
                .isEqualTo("true");
        assertThat(cache.resolve("project." + md5 + ".lock")).as("the lock is released").doesNotExist();
    }

    @Test
    void aSecondRunFetchesOnlyWhatChangedAndClonesLocally() throws Exception {
        prepare(repo.head(), "ws1");
        Path entry = cacheEntry();
        Path marker = entry.resolve("kept-by-fetch");
        Files.writeString(marker, "the entry was updated in place, not cloned again");
        assertThat(looseObjects(entry)).isZero();

        String newer = repo.write("train.py", "print(2)\n").commit("new work");
        repo.push();
        console.clear();
        PreparedCode second = prepare(newer, "ws2");

        assertThat(second.headCommit()).isEqualTo(newer);
        assertThat(marker).exists();
        assertThat(console).anyMatch(l -> l.startsWith("Updating the cached copy"))
                .noneMatch(l -> l.startsWith("Cloning " + url() + " into the repository cache"));
        assertThat(looseObjects(entry)).as("only the new commit, its tree and its blob were fetched").isEqualTo(3);
        // The workspace was cloned from the cache on the local disk: its objects are hard links to the cache's.
        assertThat(hardLinkedPacks(Path.of(second.repositoryRoot(), ".git/objects/pack"))).isPositive();
    }

    @Test
    void submodulesAreCachedToo() throws Exception {
        TestRepository inner = TestRepository.create(tmp.resolve("served"), "inner");
        inner.write("lib.py", "V = 1\n").commit("v1");
        inner.push();
        repo.addSubmodule("../inner.git", "lib");
        PreparedCode first = prepare(repo.head(), "ws1");
        assertThat(Path.of(first.repositoryRoot(), "lib/lib.py")).hasContent("V = 1");
        Path innerEntry = cache.resolve("inner." + GitUrl.md5(daemon.url("inner.git")) + "/inner.git");
        assertThat(innerEntry).isDirectory();
        assertThat(Path.of(first.repositoryRoot(), ".git/modules/lib/objects/info/alternates"))
                .as("the submodule does not depend on the cache").doesNotExist();

        inner.write("lib.py", "V = 2\n").commit("v2");
        inner.push();
        git(repo.work().resolve("lib"), "pull", "--quiet", "origin", "main");
        String bumped = repo.commit("bump lib");
        repo.push();
        console.clear();
        PreparedCode second = prepare(bumped, "ws2");

        assertThat(Path.of(second.repositoryRoot(), "lib/lib.py")).hasContent("V = 2");
        assertThat(console).anyMatch(l -> l.equals("Updating the cached copy of " + daemon.url("inner.git") + " in "
                + innerEntry));
        assertThat(looseObjects(innerEntry)).as("only the submodule's new commit, tree and blob").isEqualTo(3);
    }

    @Test
    void aCommitAlreadyCachedStillRunsWhenTheServerIsDown() throws Exception {
        String head = repo.head();
        prepare(head, "ws1");
        daemon.close();
        console.clear();

        // an abbreviated id is looked up after a fetch (it might become ambiguous), which fails here
        PreparedCode code = prepare(head.substring(0, 12), "ws2");

        assertThat(code.headCommit()).isEqualTo(head);
        assertThat(console).anyMatch(l -> l.startsWith("Warning: could not update the cached copy"));
    }

    @Test
    void aFullCommitIdAlreadyCachedIsNotFetched() throws Exception {
        String first = repo.head();
        prepare(first, "ws1");
        String newer = repo.write("train.py", "print(2)\n").commit("new work");
        repo.push();
        console.clear();

        PreparedCode again = prepare(first, "ws2");

        assertThat(again.headCommit()).isEqualTo(first);
        assertThat(console).anyMatch(l -> l.endsWith("already has commit " + first + "; not fetching"))
                .noneMatch(l -> l.startsWith("Updating the cached copy"));
        assertThat(TestGit.tryGit(cacheEntry(), "cat-file", "-e", newer + "^{commit}").exitCode())
                .as("the newer commit was not fetched").isNotZero();

        PreparedCode latest = prepare(newer, "ws3");
        assertThat(latest.headCommit()).as("a commit the cache lacks is fetched").isEqualTo(newer);
        assertThat(console).anyMatch(l -> l.startsWith("Updating the cached copy"));
    }

    @Test
    void aBranchIsNotTakenFromAStaleCacheWhenTheServerIsDown() throws Exception {
        prepare(repo.head(), "ws1");
        daemon.close();

        assertThatThrownBy(() -> prepare(null, "ws2"))
                .isInstanceOfSatisfying(VcsException.class, e -> {
                    assertThat(e.statusReason()).isEqualTo("failed cloning repository");
                    assertThat(e.getMessage()).contains("cannot be reached");
                });
    }

    @Test
    void aBrokenCacheEntryIsClonedAgain() throws Exception {
        prepare(repo.head(), "ws1");
        Path entry = cacheEntry();
        // A half-deleted or overwritten entry: git no longer recognises it as a repository.
        Files.delete(entry.resolve("HEAD"));
        Files.writeString(entry.resolve("config"), "garbage\n");
        console.clear();

        PreparedCode code = prepare(repo.head(), "ws2");

        assertThat(code.headCommit()).isEqualTo(repo.head());
        assertThat(console).anyMatch(l -> l.contains("cloning it again"));
        assertThat(TestGit.tryGit(entry, "fsck", "--connectivity-only").exitCode()).isZero();
    }

    @Test
    void concurrentRunsShareOneCacheEntrySafely() throws Exception {
        String head = repo.write("train.py", "print(1)\n").commit("one");
        repo.push();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<PreparedCode>> runs = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                String ws = "concurrent-" + i;
                Callable<PreparedCode> run = () -> prepare(head, ws);
                runs.add(pool.submit(run));
            }
            for (Future<PreparedCode> run : runs) {
                PreparedCode code = run.get();
                assertThat(code.headCommit()).isEqualTo(head);
                assertThat(Path.of(code.repositoryRoot(), "train.py")).hasContent("print(1)");
            }
        } finally {
            pool.shutdownNow();
        }
        try (Stream<Path> entries = Files.list(cache)) {
            assertThat(entries.map(p -> p.getFileName().toString()))
                    .as("one entry, no lock or half-written clone left").hasSize(1);
        }
        assertThat(console.stream().filter(l -> l.contains("into the repository cache")).count())
                .as("only one run cloned from the server").isEqualTo(1);
        assertThat(TestGit.tryGit(cacheEntry(), "fsck").exitCode()).isZero();
    }

    @Test
    void aLockLeftByADeadRunIsTakenOver() throws Exception {
        Path lock = cache.resolve("project." + GitUrl.md5(url()) + ".lock");
        Files.createDirectories(lock);
        Files.writeString(lock.resolve("owner"), "host=gone\n");
        Files.setLastModifiedTime(lock.resolve("owner"),
                FileTime.fromMillis(System.currentTimeMillis() - CacheLock.STALE_AFTER.toMillis() - 60_000));

        PreparedCode code = prepare(repo.head(), "ws", Duration.ofSeconds(30));

        assertThat(code.headCommit()).isEqualTo(repo.head());
        assertThat(lock).doesNotExist();
    }

    @Test
    void aLockHeldTooLongMeansCloningWithoutTheCache() throws Exception {
        Path lock = cache.resolve("project." + GitUrl.md5(url()) + ".lock");
        Files.createDirectories(lock);
        Files.writeString(lock.resolve("owner"), "host=busy\n");

        PreparedCode code = prepare(repo.head(), "ws", Duration.ofSeconds(1));

        assertThat(code.headCommit()).isEqualTo(repo.head());
        assertThat(console).anyMatch(l -> l.contains("is locked by another run"));
        assertThat(lock).as("another run's lock is left alone").isDirectory();
    }

    @Test
    void aRepositoryTheDaemonDoesNotServeIsReportedAsNotFound() {
        RepositoryPreparer preparer = new RepositoryPreparer(node.access(),
                new GitSettings(null, null, null, cache.toString(), true, false), console::add);
        assertThatThrownBy(() -> preparer.prepare(new TaskScript("python3", daemon.url("missing.git"), "main", null,
                null, "x.py", "", null, java.util.Map.of()), tmp.resolve("ws").toString()))
                .isInstanceOfSatisfying(VcsException.class, e -> {
                    assertThat(e.statusReason()).isEqualTo("failed cloning repository");
                    assertThat(e.getMessage()).contains("was not found").contains("missing.git");
                });
    }

    @Test
    void anUnreachableServerIsReportedAsSuch() {
        String closedPort = "git://127.0.0.1:" + freeClosedPort() + "/project.git";
        RepositoryPreparer preparer = new RepositoryPreparer(node.access(),
                new GitSettings(null, null, null, null, true, false), console::add);
        assertThatThrownBy(() -> preparer.prepare(new TaskScript("python3", closedPort, "main", null, null, "x.py",
                "", null, java.util.Map.of()), tmp.resolve("ws").toString()))
                .isInstanceOfSatisfying(VcsException.class, e -> {
                    assertThat(e.statusReason()).isEqualTo("failed cloning repository");
                    assertThat(e.getMessage()).contains("cannot be reached");
                });
    }

    private static int freeClosedPort() {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Objects fetched since the clone: small fetches are stored loose, the clone itself is one pack. */
    private static long looseObjects(Path bare) {
        String counts = git(bare, "count-objects", "-v");
        return counts.lines().filter(l -> l.startsWith("count: ")).mapToLong(l -> Long.parseLong(l.substring(7)))
                .findFirst().orElseThrow();
    }

    private static long hardLinkedPacks(Path packDir) throws Exception {
        try (Stream<Path> packs = Files.list(packDir)) {
            return packs.filter(p -> p.toString().endsWith(".pack")).filter(p -> {
                try {
                    return ((Integer) Files.getAttribute(p, "unix:nlink")) > 1;
                } catch (java.io.IOException e) {
                    return false;
                }
            }).count();
        }
    }
}
