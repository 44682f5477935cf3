package io.jenkins.plugins.clearml.python;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.clearml.client.TaskScript;
import io.jenkins.plugins.clearml.node.LocalNode;
import io.jenkins.plugins.clearml.testsupport.python.NodeWithEnvironment;
import io.jenkins.plugins.clearml.testsupport.python.OfflinePip;
import io.jenkins.plugins.clearml.vcs.PreparedCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The venv cache with real venvs and real pip, offline. */
class VenvCacheTest {

    @TempDir
    static Path wheels;
    static NodeWithEnvironment node;

    @TempDir
    Path work;
    final List<String> console = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void writeWheels() throws Exception {
        node = OfflinePip.nodeWithTinyPackages(wheels);
    }

    private Path cacheDir() {
        return work.resolve("cache");
    }

    private PythonEnvironmentBuilder builder(int maxEntries) {
        PythonSettings settings = new PythonSettings("", work.resolve("venvs").toString(), cacheDir().toString(),
                maxEntries, List.of(), List.of(), false);
        return new PythonEnvironmentBuilder(node, LocalNode.get(), settings, console::add);
    }

    private static TaskScript script(Object pip) {
        return new TaskScript("python3", "https://example.com/repo.git", "main", "", "", "main.py", ".", "",
                pip == null ? Map.of() : Map.of("pip", pip));
    }

    private PreparedCode code() throws Exception {
        Path repo = Files.createDirectories(work.resolve("repo"));
        return new PreparedCode(repo.toString(), repo.toString(), "main.py", "", true);
    }

    private PythonEnvironment buildAndRelease(int maxEntries, Object pip, String context) throws Exception {
        try (PythonEnvironmentBuilder builder = builder(maxEntries)) {
            return builder.build(script(pip), code(), context);
        }
    }

    private List<CacheEntry> index() throws Exception {
        return new VenvCache(cacheDir().toString(), 10, LocalNode.get(), LocalNode.get(), l -> { }).entries();
    }

    @Test
    void aSecondBuildWithTheSameRequirementsOrTheirFreezeReusesTheVenvWithoutRunningPip() throws Exception {
        PythonEnvironment first = buildAndRelease(10, "tinydep\n", "");
        assertThat(first.fromCache()).isFalse();
        assertThat(first.frozen().lines()).containsExactly("tinydep==1.0", "tinypkg==1.0");
        assertThat(console).contains("::: Environment stored in the venv cache :::");
        console.clear();
        node.forgetStarted();

        // Same requirements, as a list, commented and with blank lines: same key.
        PythonEnvironment second = buildAndRelease(10, List.of("# from the SDK", " tinydep", ""), "");

        assertThat(second.fromCache()).isTrue();
        assertThat(second.venvDir()).isEqualTo(first.venvDir());
        assertThat(second.python()).isEqualTo(first.python());
        assertThat(second.frozen()).isEqualTo(first.frozen());
        assertThat(second.sysPath()).isEqualTo(first.sysPath());
        assertThat(console).contains("::: Using Cached environment " + first.venvDir() + " :::")
                .noneMatch(l -> l.contains("Installing") || l.contains("Creating virtual environment"));
        // No pip, no Python at all (the interpreter search is remembered): only the cache lock's mkdir.
        assertThat(node.started()).isNotEmpty().allSatisfy(c -> assertThat(c.get(0)).isEqualTo("mkdir"));

        // The agent writes the freeze back as the task's pip requirements: a clone of the task carries it.
        PythonEnvironment clone = buildAndRelease(10, first.frozen(), "");
        assertThat(clone.fromCache()).isTrue();
        assertThat(clone.venvDir()).isEqualTo(first.venvDir());
    }

    @Test
    void concurrentRunsWithTheSameRequirementsBothGetAVenvAndTheCacheStaysConsistent() throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        List<PythonEnvironmentBuilder> running = List.of(builder(10), builder(10));
        List<java.util.concurrent.Future<PythonEnvironment>> builds = new java.util.ArrayList<>();
        for (PythonEnvironmentBuilder b : running) {
            builds.add(pool.submit(() -> b.build(script("tinypkg==1.0"), code(), "")));
        }
        List<PythonEnvironment> envs = new java.util.ArrayList<>();
        for (java.util.concurrent.Future<PythonEnvironment> f : builds) {
            envs.add(f.get());
        }
        pool.shutdown();
        assertThat(envs).allSatisfy(e -> assertThat(e.frozen()).isEqualTo("tinypkg==1.0\n"));
        assertThat(index()).allSatisfy(e -> assertThat(e.inUse()).isTrue());
        for (PythonEnvironmentBuilder b : running) {
            b.release();
        }

        // Whether both built or one reused the other's, one venv answers the key afterwards.
        PythonEnvironment next = buildAndRelease(10, "tinypkg==1.0", "");
        assertThat(next.fromCache()).isTrue();
        assertThat(index()).filteredOn(e -> !e.keys().isEmpty()).singleElement()
                .satisfies(e -> assertThat(next.venvDir()).endsWith(e.dir()));
        assertThat(Files.list(cacheDir()).map(p -> p.getFileName().toString()).filter(n -> n.startsWith("venv-")))
                .containsExactlyInAnyOrderElementsOf(index().stream().map(CacheEntry::dir).toList());
    }

    @Test
    void anotherImageGetsItsOwnVenvAndTheLeastRecentlyUsedIsEvicted() throws Exception {
        PythonEnvironment a = buildAndRelease(1, null, "");
        PythonEnvironment b = buildAndRelease(1, null, "nvidia/cuda:12.1");

        assertThat(b.fromCache()).isFalse();
        assertThat(b.venvDir()).isNotEqualTo(a.venvDir());
        assertThat(Path.of(a.venvDir())).doesNotExist();
        assertThat(index()).extracting(CacheEntry::dir)
                .containsExactly(Path.of(b.venvDir()).getFileName().toString());
    }

    @Test
    void aCachedVenvThatATaskModifiedIsNotReused() throws Exception {
        PythonEnvironment first = buildAndRelease(10, "tinypkg==1.0", "");
        Path sitePackages = Path.of(first.sysPath().stream().filter(p -> p.endsWith("site-packages")
                && p.startsWith(first.venvDir())).findFirst().orElseThrow());
        // What `pip install` run by a task would leave: a new entry in site-packages.
        Files.writeString(sitePackages.resolve("added_by_the_task.py"), "");
        Files.setLastModifiedTime(sitePackages, FileTime.fromMillis(System.currentTimeMillis() + 5000));

        PythonEnvironment second = buildAndRelease(10, "tinypkg==1.0", "");

        assertThat(second.fromCache()).isFalse();
        assertThat(second.venvDir()).isNotEqualTo(first.venvDir());
        assertThat(console).anyMatch(l -> l.contains("was modified after it was built"));
        assertThat(Path.of(first.venvDir())).doesNotExist();
        assertThat(buildAndRelease(10, "tinypkg==1.0", "").venvDir()).isEqualTo(second.venvDir());
    }

    @Test
    void requirementsThatReadOtherFilesAreNotLookedUpButTheirFreezeIsCached() throws Exception {
        Path repo = Files.createDirectories(work.resolve("repo"));
        Files.writeString(repo.resolve("more.txt"), "tinypkg==1.0\n");
        PythonEnvironment env = buildAndRelease(10, "-r " + repo.resolve("more.txt") + "\n", "");

        assertThat(env.frozen()).isEqualTo("tinypkg==1.0\n");
        assertThat(console).anyMatch(l -> l.contains("the venv cache is not used for them"));
        String frozenKey = VenvCacheKey.of("", "", env.sysPath().stream().filter(p -> p.endsWith("site-packages"))
                .findFirst().map(p -> p.replaceAll(".*/lib/python(\\d+\\.\\d+)/site-packages", "$1")).orElseThrow(),
                List.of("tinypkg==1.0"), List.of());
        assertThat(index()).singleElement().satisfies(e -> assertThat(e.keys()).containsExactly(frozenKey));
    }
}
