package io.jenkins.plugins.clearml.testsupport.git;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A real smart-HTTP git server for tests: the JDK's HTTP server checks HTTP Basic authentication and hands each
 * request to {@code git http-backend} as a CGI program, serving every repository under a folder. Records each
 * request ({@link #requests()}) so tests can see what reached the server. Close it to stop it.
 */
public final class GitHttpServer implements AutoCloseable {

    /** One request as the server saw it; {@code user} is the Basic user name or {@code null}. */
    public record Request(String method, String path, String user, int status) {
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final Path root;
    private final String user;
    private final String password;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final List<String> authorizationHeaders = new CopyOnWriteArrayList<>();
    private final java.util.concurrent.atomic.AtomicLong bytesSent = new java.util.concurrent.atomic.AtomicLong();

    private GitHttpServer(Path root, String user, String password) throws IOException {
        this.root = root.toAbsolutePath();
        this.user = user;
        this.password = password;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        this.executor = Executors.newFixedThreadPool(4);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
    }

    /** Serves the repositories under {@code root}; every request must authenticate as {@code user}/{@code password}. */
    public static GitHttpServer start(Path root, String user, String password) {
        try {
            GitHttpServer s = new GitHttpServer(root, user, password);
            s.server.start();
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code http://127.0.0.1:<port>/<relative path under root>}. */
    public String url(String relativePath) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/" + relativePath;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    /** Response body bytes sent so far: what clients downloaded. */
    public long bytesSent() {
        return bytesSent.get();
    }

    /** Every Authorization header received, decoded ("user:password"), to check what a client sent. */
    public List<String> receivedCredentials() {
        return List.copyOf(authorizationHeaders);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String authenticated = authenticate(exchange.getRequestHeaders().getFirst("Authorization"));
            if (authenticated == null) {
                exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"git\"");
                exchange.sendResponseHeaders(401, -1);
                record(exchange, null, 401);
                return;
            }
            int status = runBackend(exchange, authenticated);
            record(exchange, authenticated, status);
        }
    }

    private void record(HttpExchange exchange, String who, int status) {
        requests.add(new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), who, status));
    }

    private String authenticate(String header) {
        if (header == null || !header.startsWith("Basic ")) {
            return null;
        }
        String decoded = new String(Base64.getDecoder().decode(header.substring(6).strip()), StandardCharsets.UTF_8);
        authorizationHeaders.add(decoded);
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            return null;
        }
        String u = decoded.substring(0, colon);
        String p = decoded.substring(colon + 1);
        return u.equals(user) && p.equals(password) ? u : null;
    }

    private int runBackend(HttpExchange exchange, String remoteUser) throws IOException {
        ProcessBuilder pb = new ProcessBuilder("git", "http-backend");
        Map<String, String> env = pb.environment();
        env.put("GIT_PROJECT_ROOT", root.toString());
        env.put("GIT_HTTP_EXPORT_ALL", "1");
        env.put("REQUEST_METHOD", exchange.getRequestMethod());
        env.put("PATH_INFO", exchange.getRequestURI().getPath());
        String query = exchange.getRequestURI().getRawQuery();
        env.put("QUERY_STRING", query == null ? "" : query);
        env.put("REMOTE_USER", remoteUser);
        env.put("REMOTE_ADDR", "127.0.0.1");
        env.put("SERVER_PROTOCOL", "HTTP/1.1");
        putIfPresent(env, "CONTENT_TYPE", exchange.getRequestHeaders().getFirst("Content-Type"));
        putIfPresent(env, "HTTP_CONTENT_ENCODING", exchange.getRequestHeaders().getFirst("Content-Encoding"));
        putIfPresent(env, "HTTP_GIT_PROTOCOL", exchange.getRequestHeaders().getFirst("Git-Protocol"));
        putIfPresent(env, "CONTENT_LENGTH", exchange.getRequestHeaders().getFirst("Content-Length"));
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        Process process = pb.start();
        Thread feeder = new Thread(() -> {
            try (InputStream in = exchange.getRequestBody(); OutputStream os = process.getOutputStream()) {
                in.transferTo(os);
            } catch (IOException ignored) {
                // the backend stopped reading; its response says why
            }
        }, "http-backend-stdin");
        feeder.start();
        InputStream out = process.getInputStream();
        int status = 200;
        String line;
        while ((line = readHeaderLine(out)) != null && !line.isEmpty()) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = line.substring(0, colon).strip();
            String value = line.substring(colon + 1).strip();
            if (name.equalsIgnoreCase("Status")) {
                status = Integer.parseInt(value.split(" ")[0]);
            } else {
                exchange.getResponseHeaders().add(name, value);
            }
        }
        exchange.sendResponseHeaders(status, 0);
        try (OutputStream body = exchange.getResponseBody()) {
            bytesSent.addAndGet(out.transferTo(body));
        }
        try {
            process.waitFor();
            feeder.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return status;
    }

    private static void putIfPresent(Map<String, String> env, String name, String value) {
        if (value != null) {
            env.put(name, value);
        }
    }

    private static String readHeaderLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                String s = line.toString(StandardCharsets.ISO_8859_1);
                return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
            }
            line.write(b);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
