package io.jenkins.plugins.clearml.vcs;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.clearml.client.TaskScript;
import io.jenkins.plugins.clearml.testsupport.git.RecordingNode;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An aborted build stops a hanging clone: git is killed, the lock released, the askpass helper deleted. */
class AbortedCheckoutTest {

    @TempDir
    Path tmp;

    @Test
    void interruptingAHangingCloneKillsGitAndCleansUp() throws Exception {
        java.util.Set<Long> before = ProcessHandle.current().descendants().map(ProcessHandle::pid)
                .collect(java.util.stream.Collectors.toSet());
        Path nodeTemp = Files.createDirectories(tmp.resolve("node-tmp"));
        RecordingNode node = RecordingNode.local(nodeTemp);
        List<Socket> accepted = new CopyOnWriteArrayList<>();
        ExecutorService acceptor = Executors.newSingleThreadExecutor();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        // A server that accepts connections and never answers: git waits for it.
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            acceptor.submit(() -> {
                while (!silent.isClosed()) {
                    accepted.add(silent.accept());
                }
                return null;
            });
            String url = "http://127.0.0.1:" + silent.getLocalPort() + "/hang.git";
            RepositoryPreparer preparer = new RepositoryPreparer(node.access(),
                    new GitSettings("u", "token-123", null, tmp.resolve("cache").toString(), true, false), line -> { });
            Future<PreparedCode> run = pool.submit(() -> preparer.prepare(
                    new TaskScript("python3", url, "main", null, null, "x.py", "", null, Map.of()),
                    tmp.resolve("ws").toString()));
            awaitConnection(accepted);

            run.cancel(true);
            pool.shutdown();
            assertThat(pool.awaitTermination(60, TimeUnit.SECONDS)).as("the checkout thread ended").isTrue();
        } finally {
            pool.shutdownNow();
            acceptor.shutdownNow();
            for (Socket s : accepted) {
                s.close();
            }
        }
        assertThat(ProcessHandle.current().descendants().filter(p -> !before.contains(p.pid()))
                .filter(p -> p.info().command().orElse("").contains("git")).toList())
                .as("no git process left running").isEmpty();
        assertThat(nodeTemp).as("the askpass helper is deleted").isEmptyDirectory();
        try (var entries = Files.list(tmp.resolve("cache"))) {
            assertThat(entries.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".lock")).toList())
                    .as("the cache lock is released").isEmpty();
        }
    }

    private static void awaitConnection(List<Socket> accepted) throws InterruptedException {
        for (int i = 0; i < 600 && accepted.isEmpty(); i++) {
            Thread.sleep(100);
        }
        assertThat(accepted).as("git connected to the server").isNotEmpty();
    }
}
