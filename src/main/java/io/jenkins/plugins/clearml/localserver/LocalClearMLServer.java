package io.jenkins.plugins.clearml.localserver;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.jenkins.plugins.clearml.client.Credentials;
import io.jenkins.plugins.clearml.localserver.ServerState.StoredQueue;
import io.jenkins.plugins.clearml.localserver.ServerState.StoredTask;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An in-process ClearML API server over real HTTP ({@code com.sun.net.httpserver} on 127.0.0.1), stateful and
 * faithful to the real server's contract (see {@code docs/clearml-api-client.md}): the response envelope with
 * HTTP status = {@code result_code}, versioned and unversioned URLs, Basic and Bearer auth with the 401 subcodes,
 * the task state machine, FIFO queues with an atomic pop, a worker registry, and log/scalar events. It backs the
 * client's tests, the other components' tests and benchmarks, and the CLI's {@code demo} command.
 *
 * <p>Besides the API it offers test hooks: direct state access ({@link #createTask}, {@link #task},
 * {@link #logLines}...), per-endpoint request counters, token expiry, a movable clock, and fault injection
 * ({@link #faults()}, {@link #refuseConnectionsFor}).
 */
public final class LocalClearMLServer implements AutoCloseable {

    public static final String USER_ID = "6c0f3f1e5a6b4e0d9c2a1b3d4e5f6a7b";
    public static final String COMPANY_ID = "d1bd92a3b039400cbafc60a7a5b1e52b";
    public static final String USER_NAME = "Local User";
    public static final String MAX_VERSION = "2.34";
    public static final String SERVER_VERSION = "2.3.0";
    /** The key pair the server accepts unless others are given (30 characters A-Z0-9, like real access keys). */
    public static final Credentials DEFAULT_CREDENTIALS =
            new Credentials("LOCALACCESSKEY0000000000000001", "local-secret-key-for-tests-and-the-demo-only-0000000000000000000");

    private static final Pattern PATH =
            Pattern.compile("^/?(v(?<ver>\\d+\\.?\\d+)/)?(?<name>[a-zA-Z_]\\w+\\.[a-zA-Z_]\\w+)/?$");
    private static final ObjectMapper STRICT_JSON =
            new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final byte[] HTML_PAGE = ("<!DOCTYPE html>\n<html lang=\"en\"><head><title>ClearML</title></head>"
            + "<body><div id=\"root\">ClearML web app</div></body></html>\n").getBytes(StandardCharsets.UTF_8);

    static {
        // Without TCP_NODELAY the JDK server's separate header and body writes meet the client's delayed ACK:
        // about 40 ms per call, which would make every test and benchmark measure Nagle instead of the code.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final Credentials credentials;
    private final int requestedPort;
    private final ServerState state = new ServerState();
    private final TokenStore tokens = new TokenStore(state);
    private final Map<String, Endpoint> endpoints = new HashMap<>();
    private final Map<String, LongAdder> counters = new ConcurrentHashMap<>();
    private final FaultPlan faults = new FaultPlan();
    private final TaskCreation taskCreation = new TaskCreation(state);
    private ThreadPoolExecutor executor;
    private ScheduledExecutorService scheduler;
    private volatile HttpServer http;
    private volatile int port;
    private final Object lifecycle = new Object();
    private volatile boolean closed;
    private Duration clockOffset = Duration.ZERO;
    private long refuseUntilNanos;

    /** A server on a free port accepting {@link #DEFAULT_CREDENTIALS}. */
    public LocalClearMLServer() {
        this(DEFAULT_CREDENTIALS, 0);
    }

    /** A server on {@code port} (0: a free one) accepting {@code credentials}. */
    public LocalClearMLServer(Credentials credentials, int port) {
        if (credentials == null || !credentials.isComplete()) {
            throw new IllegalArgumentException("The local ClearML server needs an access key and a secret key");
        }
        this.credentials = credentials;
        this.requestedPort = port;
        taskCreation.register(this::add);
        new TaskQueryEndpoints(state).register(this::add);
        new TaskEditEndpoints(state).register(this::add);
        new TaskParameterEndpoints(state).register(this::add);
        new TaskStatusEndpoints(state).register(this::add);
        new QueueEndpoints(state).register(this::add);
        new WorkerEndpoints(state).register(this::add);
        new EventEndpoints(state).register(this::add);
        new MiscEndpoints(state, tokens).register(this::add);
        synchronized (state) {
            state.createQueue("default", List.of(), List.of("default"));
        }
    }

    /**
     * Runs a server until the process is stopped: {@code [port [accessKey secretKey]]}. Prints the address and the
     * access key (the secret is the one given, or {@link #DEFAULT_CREDENTIALS}).
     */
    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8008;
        Credentials credentials = args.length > 2 ? new Credentials(args[1], args[2]) : DEFAULT_CREDENTIALS;
        LocalClearMLServer server = new LocalClearMLServer(credentials, port).start();
        Runtime.getRuntime().addShutdownHook(new Thread(server::close));
        System.out.println("Local ClearML API server at " + server.apiUrl() + " (access key " + credentials.accessKey()
                + "); stop with Ctrl-C");
        Thread.currentThread().join();
    }

    private void add(Endpoint e) {
        endpoints.put(e.name(), e);
    }

    // ---- lifecycle -------------------------------------------------------------------------------------------

    /** Binds 127.0.0.1 and starts answering; returns this. */
    public LocalClearMLServer start() throws IOException {
        synchronized (lifecycle) {
            if (http != null) {
                return this;
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
            return this;
        }
    }

    private void bind(int onPort) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), onPort), 1024);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
        port = server.getAddress().getPort();
        http = server;
    }

    /** The API base URL, e.g. {@code http://127.0.0.1:41234}. */
    public String apiUrl() {
        if (port == 0) {
            throw new IllegalStateException("The local ClearML server is not started");
        }
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public Credentials credentials() {
        return credentials;
    }

    @Override
    public void close() {
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

    // ---- fault injection and test hooks ----------------------------------------------------------------------

    /** Answers-instead-of-answers: 503s, garbage, dropped or stalled connections. */
    public FaultPlan faults() {
        return faults;
    }

    /**
     * Closes the listening socket (and open connections) for {@code period}, then listens again on the same port.
     * Calling it again while refusing extends the refusal.
     */
    public void refuseConnectionsFor(Duration period) {
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
    public boolean listening() {
        return http != null;
    }

    /** How many requests named {@code endpoint} (e.g. {@code tasks.started}) arrived, whatever the answer. */
    public long requestCount(String endpoint) {
        LongAdder a = counters.get(endpoint);
        return a == null ? 0 : a.sum();
    }

    /** Requests per endpoint so far. */
    public Map<String, Long> requestCounts() {
        Map<String, Long> out = new java.util.TreeMap<>();
        counters.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    public void resetRequestCounts() {
        counters.clear();
    }

    /** Makes every token issued so far expired: the next Bearer call gets 401/30. */
    public void expireTokens() {
        tokens.expireAll();
    }

    /** The lifetime of tokens issued from now on when {@code auth.login} names none (default 30 days). */
    public void tokenLifetime(Duration lifetime) {
        tokens.defaultLifetimeSeconds = Math.max(1, lifetime.toSeconds());
    }

    /** Moves the server's clock forward (worker timeouts, the 600 s live-worker rule, token expiry). */
    public synchronized void advanceClock(Duration by) {
        clockOffset = clockOffset.plus(by);
        state.clock = Clock.offset(Clock.systemUTC(), clockOffset);
    }

    /** Creates a task as {@code tasks.create} would ({@code fields} as in its request; type defaults to training). */
    public String createTask(String name, Map<String, ?> fields) {
        ObjectNode f = fields == null ? ServerState.NODES.objectNode() : STRICT_JSON.valueToTree(fields);
        synchronized (state) {
            return taskCreation.newTask(name, f.path("type").asText("training"), f).id;
        }
    }

    public String createTask(String name) {
        return createTask(name, Map.of());
    }

    /** Creates a queue; returns its id. */
    public String createQueue(String name) {
        synchronized (state) {
            return state.createQueue(name, List.of(), List.of()).id;
        }
    }

    public String defaultQueueId() {
        synchronized (state) {
            return state.defaultQueue().id;
        }
    }

    /** Enqueues as {@code tasks.enqueue} does (status checked, queued, added at the tail). */
    public void enqueue(String taskId, String queueId) {
        internalCall("tasks.enqueue", Map.of("task", taskId, "queue", queueId));
    }

    /** What the web UI's Abort sends: {@code tasks.stop}. */
    public void abort(String taskId) {
        internalCall("tasks.stop", Map.of("task", taskId));
    }

    /** Sets a task's status without the transition check (like {@code tasks.update} with a status). */
    public void setTaskStatus(String taskId, String status) {
        internalCall("tasks.update", Map.of("task", taskId, "status", status));
    }

    /** Calls one endpoint in-process, without HTTP and auth; returns {@code data} or throws the API error. */
    public Map<String, Object> internalCall(String endpoint, Map<String, ?> body) {
        Endpoint e = endpoints.get(endpoint);
        if (e == null) {
            throw new IllegalArgumentException("No endpoint " + endpoint);
        }
        ObjectNode b = STRICT_JSON.valueToTree(body);
        try {
            ObjectNode data = e.handler().handle(new ApiCall(endpoint, MAX_VERSION, b, new byte[0], "application/json", "local"));
            return STRICT_JSON.convertValue(data, Map.class);
        } catch (ApiError err) {
            throw new IllegalStateException(endpoint + " failed: " + err.code + "/" + err.subcode + " " + err.getMessage());
        }
    }

    /** A task's status, reason, message and the other fields tests look at; null if there is no such task. */
    public TaskSnapshot task(String taskId) {
        synchronized (state) {
            StoredTask t = state.tasks.get(taskId);
            if (t == null) {
                return null;
            }
            JsonNode d = t.doc;
            return new TaskSnapshot(t.id, d.path("name").asText(), d.path("status").asText(),
                    d.path("status_reason").asText(""), d.path("status_message").asText(""),
                    d.path("last_worker").asText(""), d.path("execution").path("queue").asText(""),
                    d.path("last_iteration").asLong());
        }
    }

    /** The whole task document as {@code tasks.get_by_id} returns it; null if there is no such task. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> taskJson(String taskId) {
        synchronized (state) {
            StoredTask t = state.tasks.get(taskId);
            return t == null ? null : STRICT_JSON.convertValue(t.doc, Map.class);
        }
    }

    public int taskCount() {
        synchronized (state) {
            return state.tasks.size();
        }
    }

    /** Task ids waiting in a queue, head first. */
    public List<String> queueTaskIds(String queueId) {
        synchronized (state) {
            StoredQueue q = state.queues.get(queueId);
            return q == null ? List.of() : List.copyOf(q.entries.keySet());
        }
    }

    /** The task's log events in timestamp order (arrival order among equal timestamps). */
    public List<LogEntry> logEvents(String taskId) {
        List<ServerState.LogRecord> records;
        synchronized (state) {
            records = state.logsSnapshot(taskId);
        }
        List<LogEntry> out = new ArrayList<>(records.size());
        for (ServerState.LogRecord r : records) {
            out.add(new LogEntry(r.timestamp(), r.level(), r.worker(), r.msg()));
        }
        return out;
    }

    /**
     * The task's console as lines, in order: every event's {@code msg} split at new lines (a final new line does not
     * make an extra empty line; an empty {@code msg} is one empty line).
     */
    public List<String> logLines(String taskId) {
        List<ServerState.LogRecord> records;
        synchronized (state) {
            records = state.logsSnapshot(taskId);
        }
        List<String> lines = new ArrayList<>();
        for (ServerState.LogRecord r : records) {
            String msg = r.msg();
            if (msg.isEmpty()) {
                lines.add("");
                continue;
            }
            int start = 0;
            while (start < msg.length()) {
                int nl = msg.indexOf('\n', start);
                if (nl < 0) {
                    lines.add(msg.substring(start));
                    break;
                }
                lines.add(msg.substring(start, nl));
                start = nl + 1;
            }
        }
        return lines;
    }

    /** How many log events the task has. */
    public int logEventCount(String taskId) {
        synchronized (state) {
            ServerState.TaskEvents e = state.events.get(taskId);
            return e == null ? 0 : e.logs.size();
        }
    }

    /** The task's scalar events (the latest per iteration, metric and variant), in arrival order. */
    public List<ScalarSample> scalarEvents(String taskId) {
        synchronized (state) {
            ServerState.TaskEvents e = state.events.get(taskId);
            List<ScalarSample> out = new ArrayList<>();
            if (e != null) {
                e.scalars.values().forEach(s -> out.add(new ScalarSample(s.metric(), s.variant(), s.iter(), s.value(),
                        s.timestamp(), s.worker())));
            }
            return out;
        }
    }

    /** Registered workers whose timeout has not passed. */
    public List<WorkerSnapshot> workers() {
        synchronized (state) {
            state.expireWorkers();
            List<WorkerSnapshot> out = new ArrayList<>();
            state.workers.values().forEach(w -> out.add(new WorkerSnapshot(w.id, w.queues, w.task, w.timeoutSeconds,
                    w.machineStats == null ? Map.of() : STRICT_JSON.convertValue(w.machineStats, Map.class))));
            return out;
        }
    }

    /** A task as tests see it. */
    public record TaskSnapshot(String id, String name, String status, String statusReason, String statusMessage,
                               String lastWorker, String executionQueue, long lastIteration) {
    }

    /** One stored log event. */
    public record LogEntry(long timestamp, String level, String worker, String msg) {
    }

    /** One stored scalar event. */
    public record ScalarSample(String metric, String variant, long iteration, double value, long timestamp, String worker) {
    }

    /** One registered worker; {@code machineStats} is the last reported {@code machine_stats}. */
    public record WorkerSnapshot(String id, List<String> queues, String task, int timeoutSeconds,
                                 Map<String, Object> machineStats) {
    }

    // ---- HTTP ------------------------------------------------------------------------------------------------

    private void handle(HttpExchange exchange) throws IOException {
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
            answerFault(ex, fault, path);
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
            ObjectNode body = parseBody(raw, contentType, name);
            mergeQuery(body, ex.getRequestURI().getRawQuery());
            String worker = ex.getRequestHeaders().getFirst("X-ClearML-Worker");
            if (worker == null) {
                worker = ex.getRequestHeaders().getFirst("X-Trains-Worker");
            }
            ApiCall call = new ApiCall(name, version, body, raw, contentType, worker);
            if (endpoint.authorize()) {
                authenticate(ex.getRequestHeaders().getFirst("Authorization"), call);
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

    private void answerFault(HttpExchange ex, Fault fault, String path) throws IOException {
        switch (fault) {
            case SERVICE_UNAVAILABLE -> send(ex, 503, "text/plain",
                    "503 Service Temporarily Unavailable".getBytes(StandardCharsets.UTF_8));
            case INTERNAL_ERROR_PLAIN_TEXT -> send(ex, 500, "text/plain",
                    ("Failed processing request " + path).getBytes(StandardCharsets.UTF_8));
            case HTML_PAGE -> send(ex, 200, "text/html", HTML_PAGE);
            case GARBAGE -> send(ex, 200, "application/octet-stream",
                    "\u0000\u00ffnot json at all }{".getBytes(StandardCharsets.ISO_8859_1));
            case DROP_CONNECTION, LOSE_ANSWER -> ex.close();
            case STALL -> {
                try {
                    Thread.sleep(faults.stallTime().toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                ex.close();
            }
        }
    }

    private static ObjectNode parseBody(byte[] raw, String contentType, String name) {
        if (EventEndpoints.JSON_LINES.equals(contentType) || isBlank(raw)) {
            return ServerState.NODES.objectNode();
        }
        JsonNode n;
        try {
            n = STRICT_JSON.readTree(raw);
        } catch (JsonProcessingException e) {
            throw new ApiError(400, 0, "Bad Request: failed to decode JSON object: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ApiError(400, 0, "Bad Request: " + e.getMessage());
        }
        if (n == null || n.isNull() || n.isMissingNode()) {
            return ServerState.NODES.objectNode();
        }
        if (!n.isObject()) {
            throw new ApiError(500, 0, "General data error (Data should be a dict)");
        }
        return (ObjectNode) n;
    }

    private static boolean isBlank(byte[] raw) {
        for (byte b : raw) {
            if (!Character.isWhitespace(b)) {
                return false;
            }
        }
        return true;
    }

    /** Query parameters merged into the body as the server does: dotted keys nest, numbers and booleans convert. */
    static void mergeQuery(ObjectNode body, String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return;
        }
        Map<String, List<String>> params = new LinkedHashMap<>();
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
        }
        params.forEach((key, values) -> {
            boolean list = key.endsWith("[]") || values.size() > 1;
            String k = key.endsWith("[]") ? key.substring(0, key.length() - 2) : key;
            String[] parts = k.split("\\.");
            ObjectNode target = body;
            for (int i = 0; i < parts.length - 1; i++) {
                target = ServerState.child(target, parts[i]);
            }
            String leaf = parts[parts.length - 1];
            if (list) {
                ArrayNode a = target.putArray(leaf);
                values.forEach(v -> a.add(convert(v)));
            } else {
                target.set(leaf, convert(values.get(0)));
            }
        });
    }

    private static JsonNode convert(String v) {
        if (v.matches("-?\\d+")) {
            try {
                return ServerState.NODES.numberNode(Long.parseLong(v));
            } catch (NumberFormatException e) {
                return ServerState.NODES.textNode(v);
            }
        }
        if (v.matches("-?\\d+\\.\\d+")) {
            return ServerState.NODES.numberNode(Double.parseDouble(v));
        }
        if (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false")) {
            return ServerState.NODES.booleanNode(Boolean.parseBoolean(v));
        }
        return ServerState.NODES.textNode(v);
    }

    private void authenticate(String header, ApiCall call) {
        if (header == null || header.isBlank()) {
            throw new ApiError(401, 20, "Unauthorized (missing credentials)");
        }
        if (header.startsWith("Basic ")) {
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new ApiError(401, 21, "Unauthorized (malformed credentials)");
            }
            int colon = decoded.indexOf(':');
            if (colon < 0) {
                throw new ApiError(401, 21, "Unauthorized (malformed credentials)");
            }
            if (!decoded.substring(0, colon).equals(credentials.accessKey())
                    || !constantTimeEquals(decoded.substring(colon + 1), credentials.secretKey())) {
                throw new ApiError(401, 22, "Unauthorized (invalid credentials) (failed to locate provided credentials)");
            }
            return;
        }
        if (header.startsWith("Bearer ")) {
            String token = header.substring(7).trim();
            tokens.check(token);
            call.token = token;
            return;
        }
        throw new ApiError(401, 10, "Unauthorized (bad authentication header type)");
    }

    private static boolean constantTimeEquals(String a, String b) {
        return java.security.MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
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

    private static void envelope(HttpExchange ex, String name, String requested, String actual, ApiError error,
                                 ObjectNode data) throws IOException {
        ObjectNode root = ServerState.NODES.objectNode();
        ObjectNode meta = root.putObject("meta");
        String id = ServerState.newId();
        meta.put("id", id).put("trx", id);
        ObjectNode ep = meta.putObject("endpoint");
        ep.put("name", name == null ? "" : name).put("requested_version", requested).put("actual_version", actual);
        int code = error == null ? 200 : error.code;
        meta.put("result_code", code).put("result_subcode", error == null ? 0 : error.subcode)
                .put("result_msg", error == null ? "OK" : error.getMessage());
        meta.putNull("error_stack");
        meta.putObject("error_data");
        root.set("data", data == null ? ServerState.NODES.objectNode() : data);
        send(ex, code, "application/json", STRICT_JSON.writeValueAsBytes(root));
    }

    private static void send(HttpExchange ex, int status, String contentType, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", contentType);
        ex.getResponseHeaders().set("Server", "clearml");
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }
}
