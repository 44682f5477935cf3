package io.jenkins.plugins.clearml.python;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.clearml.node.LocalNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Leases and eviction of the venv cache, over folders shaped like venvs (the cache only looks at
 * {@code pyvenv.cfg} and the site-packages folder); real venvs are in {@link VenvCacheTest}.
 */
class VenvCacheEvictionTest {

    @TempDir
    Path cacheDir;
    final List<String> console = new CopyOnWriteArrayList<>();

    private VenvCache cache(int maxEntries) {
        return new VenvCache(cacheDir.toString(), maxEntries, LocalNode.get(), LocalNode.get(), console::add);
    }

    /** Reserves, "builds" and commits a venv for {@code key}, leased to {@code token}; returns its path. */
    private String build(VenvCache cache, String token, String key) throws Exception {
        String path = cache.reserve(token);
        Path site = Files.createDirectories(Path.of(path, "lib/python3.11/site-packages"));
        Files.writeString(Path.of(path, "pyvenv.cfg"), "home = /usr/bin\n");
        cache.commit(path, token, List.of(key), "3.11.7", List.of(site.toString()), "", site.toString(),
                Files.getLastModifiedTime(site).toMillis());
        return path;
    }

    private List<String> dirs(VenvCache cache) throws Exception {
        return cache.entries().stream().map(CacheEntry::dir).sorted().toList();
    }

    private static String name(String path) {
        return Path.of(path).getFileName().toString();
    }

    @Test
    void reuseMakesAVenvRecentlyUsedAndTheLeastRecentlyUsedGoesFirst() throws Exception {
        VenvCache cache = cache(2);
        String a = build(cache, "r1", "ka");
        cache.release(a, "r1");
        Thread.sleep(5);
        String b = build(cache, "r2", "kb");
        cache.release(b, "r2");
        Thread.sleep(5);
        assertThat(cache.lease("ka", "r3")).isPresent();
        cache.release(a, "r3");
        Thread.sleep(5);

        String c = build(cache, "r4", "kc");
        cache.release(c, "r4");

        assertThat(dirs(cache)).containsExactlyInAnyOrder(name(a), name(c));
        assertThat(Path.of(b)).doesNotExist();
        assertThat(cacheDir.resolve(".trash")).isEmptyDirectory();
    }

    @Test
    void aLeasedVenvIsKeptBeyondTheLimitUntilItsRunEnds() throws Exception {
        VenvCache cache = cache(1);
        String a = build(cache, "r1", "ka"); // still running
        Thread.sleep(5);
        String b = build(cache, "r2", "kb");
        assertThat(dirs(cache)).hasSize(2);

        cache.release(b, "r2");
        assertThat(Path.of(a)).isDirectory(); // the least recently used, but in use
        assertThat(Path.of(b)).doesNotExist();

        cache.release(a, "r1");
        assertThat(dirs(cache)).containsExactly(name(a));
        assertThat(cache.lease("ka", "r3")).isPresent();
    }

    @Test
    void aVenvWithoutKeysIsDeletedWhenItsRunEnds() throws Exception {
        VenvCache cache = cache(5);
        String path = cache.reserve("r1");
        Files.createDirectories(Path.of(path, "bin"));
        cache.commit(path, "r1", List.of(), "3.11.7", List.of(), "", "", 0);
        assertThat(Path.of(path)).isDirectory();

        cache.release(path, "r1");

        assertThat(Path.of(path)).doesNotExist();
        assertThat(cache.entries()).isEmpty();
    }

    @Test
    void foldersTheIndexDoesNotKnowAreLeftoversOfACrashAndAreDeleted() throws Exception {
        Path leftover = Files.createDirectories(cacheDir.resolve("venv-0123456789ab/lib"));
        Path unrelated = Files.createDirectories(cacheDir.resolve("keep-me"));
        VenvCache cache = cache(5);

        cache.release(build(cache, "r1", "k"), "r1");

        assertThat(leftover.getParent()).doesNotExist();
        assertThat(unrelated).isDirectory();
    }

    @Test
    void aVenvWhosePyvenvCfgIsGoneIsForgotten() throws Exception {
        VenvCache cache = cache(5);
        String a = build(cache, "r1", "ka");
        cache.release(a, "r1");
        Files.delete(Path.of(a, "pyvenv.cfg"));

        Optional<CacheEntry> hit = cache.lease("ka", "r2");

        assertThat(hit).isEmpty();
        assertThat(cache.entries()).isEmpty();
        assertThat(Path.of(a)).doesNotExist();
    }

    @Test
    void anUnreadableIndexStartsAnEmptyCacheWithAWarning() throws Exception {
        Files.writeString(cacheDir.resolve("index.json"), "{not json");
        VenvCache cache = cache(5);

        assertThat(cache.lease("k", "r1")).isEmpty();
        assertThat(console).anyMatch(l -> l.startsWith("WARNING: the venv cache index") && l.contains("unreadable"));
        String a = build(cache, "r2", "k");
        assertThat(cache.entries()).extracting(CacheEntry::dir).containsExactly(name(a));
    }
}
