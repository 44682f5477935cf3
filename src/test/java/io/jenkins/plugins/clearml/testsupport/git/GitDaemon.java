package io.jenkins.plugins.clearml.testsupport.git;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code git daemon} serving every repository under a folder on 127.0.0.1 and a free port, read-only, for
 * {@code git://} clones in tests. Close it to stop it.
 */
public final class GitDaemon implements AutoCloseable {

    private final Process process;
    private final int port;

    private GitDaemon(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts the daemon for {@code baseDir} and waits until it accepts connections. */
    public static GitDaemon start(Path baseDir) {
        int port = freePort();
        List<String> command = List.of("git", "daemon", "--reuseaddr", "--export-all", "--listen=127.0.0.1",
                "--port=" + port, "--base-path=" + baseDir.toAbsolutePath(), "--informative-errors",
                baseDir.toAbsolutePath().toString());
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            GitDaemon daemon = new GitDaemon(p, port);
            daemon.awaitListening();
            return daemon;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitListening() {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("git daemon exited with " + process.exitValue());
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                sleep();
            }
        }
        close();
        throw new IllegalStateException("git daemon did not listen on port " + port);
    }

    private static void sleep() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public int port() {
        return port;
    }

    /** {@code git://127.0.0.1:<port>/<relative path under the base folder>}. */
    public String url(String relativePath) {
        return "git://127.0.0.1:" + port + "/" + relativePath;
    }

    @Override
    public void close() {
        // git daemon forks a child per connection; stop them with the daemon.
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
