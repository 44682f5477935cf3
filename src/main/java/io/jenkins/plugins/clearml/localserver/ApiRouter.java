package io.jenkins.plugins.clearml.localserver;

import static io.jenkins.plugins.clearml.localserver.HttpReplies.envelope;
import static io.jenkins.plugins.clearml.localserver.HttpReplies.send;
import static io.jenkins.plugins.clearml.localserver.LocalClearMLServer.MAX_VERSION;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Serves one HTTP request: the endpoint and version from the URL, a fault planned for it, the body, authentication,
 * the handler and the answer in the server's envelope. Counts the requests per endpoint.
 */
final class ApiRouter {

    private static final Pattern PATH =
            Pattern.compile("^/?(v(?<ver>\\d+\\.?\\d+)/)?(?<name>[a-zA-Z_]\\w+\\.[a-zA-Z_]\\w+)/?$");

    private final Map<String, Endpoint> endpoints = new HashMap<>();
    private final Map<String, LongAdder> counters = new ConcurrentHashMap<>();
    private final FaultPlan faults;
    private final Authenticator authenticator;

    ApiRouter(FaultPlan faults, Authenticator authenticator) {
        this.faults = faults;
        this.authenticator = authenticator;
    }

    void add(Endpoint e) {
        endpoints.put(e.name(), e);
    }

    /** Calls one endpoint in-process, without HTTP and auth; returns {@code data} or throws the API error. */
    Map<String, Object> internalCall(String endpoint, Map<String, ?> body) {
        Endpoint e = endpoints.get(endpoint);
        if (e == null) {
            throw new IllegalArgumentException("No endpoint " + endpoint);
        }
        ObjectNode b = ServerState.STRICT_JSON.valueToTree(body);
        try {
            ObjectNode data = e.handler().handle(new ApiCall(endpoint, MAX_VERSION, b, new byte[0], "application/json", "local"));
            return ServerState.STRICT_JSON.convertValue(data, Map.class);
        } catch (ApiError err) {
            throw new IllegalStateException(endpoint + " failed: " + err.code + "/" + err.subcode + " " + err.getMessage());
        }
    }

    /** How many requests named {@code endpoint} (e.g. {@code tasks.started}) arrived, whatever the answer. */
    long requestCount(String endpoint) {
        LongAdder a = counters.get(endpoint);
        return a == null ? 0 : a.sum();
    }

    /** Requests per endpoint so far. */
    Map<String, Long> requestCounts() {
        Map<String, Long> out = new TreeMap<>();
        counters.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    void resetRequestCounts() {
        counters.clear();
    }

    void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            serve(exchange);
        } catch (IOException | RuntimeException e) {
            // the client went away, or a stall was interrupted by close(): nothing to answer
        }
    }

    private void serve(HttpExchange ex) throws IOException {
        String method = ex.getRequestMethod();
        String path = ex.getRequestURI().getRawPath();
        if ("OPTIONS".equals(method)) {
            send(ex, 200, "text/plain", new byte[0]);
            return;
        }
        Matcher m = PATH.matcher(path);
        String name = m.matches() ? m.group("name") : null;
        counters.computeIfAbsent(name == null ? "<invalid path>" : name, k -> new LongAdder()).increment();
        Fault fault = faults.next(name);
        boolean loseAnswer = fault == Fault.LOSE_ANSWER;
        if (fault != null && !loseAnswer) {
            FaultReplies.answer(ex, fault, path, faults.stallTime());
            return;
        }
        byte[] raw;
        try (InputStream in = ex.getRequestBody()) {
            raw = in.readAllBytes();
        }
        if (ex.getRequestHeaders().getFirst("Content-Encoding") != null) {
            send(ex, 415, "text/plain", "Content encoding is not supported".getBytes(StandardCharsets.UTF_8));
            return;
        }
        if (name == null) {
            envelope(ex, null, MAX_VERSION, null, new ApiError(400, 0, "Invalid request path " + path), null);
            return;
        }
        String version = m.group("ver") == null ? MAX_VERSION : m.group("ver");
        Endpoint endpoint = endpoints.get(name);
        if (endpoint == null || compareVersions(version, endpoint.minVersion()) < 0) {
            envelope(ex, name, version, null, ApiError.notFound(name, version), null);
            return;
        }
        try {
            String contentType = ex.getRequestHeaders().getFirst("Content-Type");
            ObjectNode body = RequestBodies.parse(raw, contentType);
            RequestBodies.mergeQuery(body, ex.getRequestURI().getRawQuery());
            String worker = ex.getRequestHeaders().getFirst("X-ClearML-Worker");
            if (worker == null) {
                worker = ex.getRequestHeaders().getFirst("X-Trains-Worker");
            }
            ApiCall call = new ApiCall(name, version, body, raw, contentType, worker);
            if (endpoint.authorize()) {
                authenticator.authenticate(ex.getRequestHeaders().getFirst("Authorization"), call);
            }
            ObjectNode data = endpoint.handler().handle(call);
            if (loseAnswer) {
                ex.close();
                return;
            }
            envelope(ex, name, version, endpoint.minVersion(), null, data);
        } catch (ApiError e) {
            envelope(ex, name, version, endpoint.minVersion(), e, null);
        } catch (RuntimeException e) {
            envelope(ex, name, version, endpoint.minVersion(),
                    new ApiError(500, 0, "General data error (" + e + ")"), null);
        }
    }

    private static int compareVersions(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        int c = Integer.compare(Integer.parseInt(x[0]), Integer.parseInt(y[0]));
        if (c != 0) {
            return c;
        }
        return Integer.compare(x.length > 1 ? Integer.parseInt(x[1]) : 0, y.length > 1 ? Integer.parseInt(y[1]) : 0);
    }
}
