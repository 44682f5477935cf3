package io.jenkins.plugins.clearml.python;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.clearml.node.LocalNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CacheLockTest {

    @TempDir
    Path cache;

    private CacheLock acquire(Duration timeout) throws Exception {
        return CacheLock.acquire(LocalNode.get(), LocalNode.get(), cache.toString(), timeout);
    }

    @Test
    void isExclusiveUntilClosed() throws Exception {
        CacheLock first = acquire(Duration.ZERO);
        assertThat(first).isNotNull();
        assertThat(acquire(Duration.ofMillis(200))).isNull();
        first.close();
        try (CacheLock again = acquire(Duration.ZERO)) {
            assertThat(again).isNotNull();
        }
    }

    @Test
    void aLockLeftByACrashIsBroken() throws Exception {
        Path left = Files.createDirectory(cache.resolve(".clearml.lock"));
        Files.setLastModifiedTime(left, FileTime.fromMillis(System.currentTimeMillis()
                - CacheLock.STALE_AFTER.toMillis() - 60_000));
        try (CacheLock taken = acquire(Duration.ofSeconds(5))) {
            assertThat(taken).isNotNull();
        }
    }

    @Test
    void concurrentIndexChangesAreNotLost() throws Exception {
        VenvCache venvCache = new VenvCache(cache.toString(), 10, LocalNode.get(), LocalNode.get(), l -> { });
        ExecutorService pool = Executors.newFixedThreadPool(6);
        List<Future<String>> reservations = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 12; i++) {
            String token = "run" + i;
            reservations.add(pool.submit(() -> venvCache.reserve(token)));
        }
        for (Future<String> f : reservations) {
            f.get();
        }
        pool.shutdown();
        assertThat(venvCache.entries()).extracting(CacheEntry::dir).hasSize(12).doesNotHaveDuplicates();
    }
}
