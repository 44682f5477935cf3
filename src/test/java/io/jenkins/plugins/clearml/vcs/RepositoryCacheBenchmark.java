package io.jenkins.plugins.clearml.vcs;

import io.jenkins.plugins.clearml.client.TaskScript;
import io.jenkins.plugins.clearml.testsupport.git.GitHttpServer;
import io.jenkins.plugins.clearml.testsupport.git.RecordingNode;
import io.jenkins.plugins.clearml.testsupport.git.TestRepository;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cold versus warm cache over smart HTTP with credentials: time and bytes downloaded, measured, not asserted. Run with
 * {@code mvn -o -q test -Dtest=RepositoryCacheBenchmark -Dbenchmark=true}; the numbers are in
 * {@code target/surefire-reports/io.jenkins.plugins.clearml.vcs.RepositoryCacheBenchmark-output.txt}.
 */
@EnabledIfSystemProperty(named = "benchmark", matches = "true")
class RepositoryCacheBenchmark {

    @TempDir
    Path tmp;

    private GitHttpServer server;

    @Test
    void coldAndWarmCache() throws Exception {
        TestRepository repo = TestRepository.create(tmp.resolve("served"), "big");
        Random random = new Random(1);
        byte[] chunk = new byte[64 * 1024];
        for (int commit = 0; commit < 20; commit++) {
            for (int file = 0; file < 25; file++) {
                random.nextBytes(chunk);
                Path p = repo.work().resolve("data/c" + commit + "/f" + file + ".bin");
                Files.createDirectories(p.getParent());
                Files.write(p, chunk);
            }
            repo.commit("commit " + commit);
        }
        repo.push();
        Files.createDirectories(tmp.resolve("node-tmp"));
        RecordingNode node = RecordingNode.local(tmp.resolve("node-tmp"));
        try (GitHttpServer server = GitHttpServer.start(tmp.resolve("served"), "u", "secret-token")) {
            this.server = server;
            String url = server.url("big.git");
            GitSettings cached = new GitSettings("u", "secret-token", null, tmp.resolve("cache").toString(), true,
                    false);
            GitSettings uncached = new GitSettings("u", "secret-token", null, null, true, false);
            System.out.printf("repository: %d commits, %d MB of incompressible files%n", 21, 20 * 25 * 64 / 1024);
            time("no cache", node, uncached, url, repo.head());
            time("cold cache (first run)", node, cached, url, repo.head());
            time("warm cache, nothing new", node, cached, url, repo.head());
            repo.write("train.py", "print('new')\n").commit("small change");
            repo.push();
            time("warm cache, one new commit", node, cached, url, repo.head());
        }
    }

    private void time(String label, RecordingNode node, GitSettings settings, String url, String commit)
            throws Exception {
        RepositoryPreparer preparer = new RepositoryPreparer(node.access(), settings, line -> { });
        long bytesBefore = server.bytesSent();
        long start = System.nanoTime();
        preparer.prepare(new TaskScript("python3", url, "main", null, commit, "train.py", "", null, Map.of()),
                tmp.resolve("ws").toString());
        System.out.printf("%-28s %6d ms %10d bytes downloaded%n", label, (System.nanoTime() - start) / 1_000_000,
                server.bytesSent() - bytesBefore);
    }
}
