package io.jenkins.plugins.clearml.localserver;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The local server's socket on 127.0.0.1: its threads, start and close, and the fault of refusing connections for a
 * while (the listening socket closed, then bound again on the same port).
 */
final class HttpListener {

    private final int requestedPort;
    private final HttpHandler handler;
    private final Object lifecycle = new Object();
    private ThreadPoolExecutor executor;
    private ScheduledExecutorService scheduler;
    private volatile HttpServer http;
    private volatile int port;
    private volatile boolean closed;
    private long refuseUntilNanos;

    HttpListener(int requestedPort, HttpHandler handler) {
        this.requestedPort = requestedPort;
        this.handler = handler;
    }

    /** Binds 127.0.0.1 and starts answering. */
    void start() throws IOException {
        synchronized (lifecycle) {
            if (http != null) {
                return;
            }
            AtomicInteger threadNo = new AtomicInteger();
            executor = new ThreadPoolExecutor(4, 512, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
                Thread t = new Thread(r, "clearml-localserver-" + threadNo.incrementAndGet());
                t.setDaemon(true);
                return t;
            }, new ThreadPoolExecutor.CallerRunsPolicy());
            scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "clearml-localserver-faults");
                t.setDaemon(true);
                return t;
            });
            bind(requestedPort);
        }
    }

    private void bind(int onPort) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), onPort), 1024);
        server.createContext("/", handler);
        server.setExecutor(executor);
        server.start();
        port = server.getAddress().getPort();
        http = server;
    }

    /** The bound port; 0 before the first start. */
    int port() {
        return port;
    }

    void close() {
        synchronized (lifecycle) {
            closed = true;
            if (http != null) {
                http.stop(0);
                http = null;
            }
            if (scheduler != null) {
                scheduler.shutdownNow();
            }
            if (executor != null) {
                executor.shutdownNow();
            }
        }
    }

    /**
     * Closes the listening socket (and open connections) for {@code period}, then listens again on the same port.
     * Calling it again while refusing extends the refusal.
     */
    void refuseConnectionsFor(Duration period) {
        synchronized (lifecycle) {
            if (executor == null || closed) {
                throw new IllegalStateException("The local ClearML server is not started");
            }
            refuseUntilNanos = Math.max(refuseUntilNanos, System.nanoTime() + period.toNanos());
            if (http != null) {
                http.stop(0);
                http = null;
            }
            int samePort = port;
            scheduler.schedule(() -> rebind(samePort, 0), period.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void rebind(int samePort, int attempt) {
        synchronized (lifecycle) {
            if (closed || http != null) {
                return;
            }
            long wait = refuseUntilNanos - System.nanoTime();
            if (wait > 0) {
                scheduler.schedule(() -> rebind(samePort, attempt), wait, TimeUnit.NANOSECONDS);
                return;
            }
            try {
                bind(samePort);
            } catch (IOException e) {
                if (attempt < 50) {
                    scheduler.schedule(() -> rebind(samePort, attempt + 1), 100, TimeUnit.MILLISECONDS);
                }
            }
        }
    }

    /** Whether the server listens now (false while connections are refused, or before start or after close). */
    boolean listening() {
        return http != null;
    }
}
