package io.jenkins.plugins.clearml.localserver;

import io.jenkins.plugins.clearml.client.Credentials;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

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

    static {
        // Without TCP_NODELAY the JDK server's separate header and body writes meet the client's delayed ACK:
        // about 40 ms per call, which would make every test and benchmark measure Nagle instead of the code.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final Credentials credentials;
    private final ServerState state = new ServerState();
    private final TokenStore tokens = new TokenStore(state);
    private final FaultPlan faults = new FaultPlan();
    private final ApiRouter router;
    private final HttpListener listener;
    private final StateView view;
    private Duration clockOffset = Duration.ZERO;

    /** A server on a free port accepting {@link #DEFAULT_CREDENTIALS}. */
    public LocalClearMLServer() {
        this(DEFAULT_CREDENTIALS, 0);
    }

    /** A server on {@code port} (0: a free one) accepting {@code credentials}. */

    /** A server on {@code port} (0: a free one) accepting {@code credentials}. */
    public LocalClearMLServer(Credentials credentials, int port) {
        if (credentials == null || !credentials.isComplete()) {
            throw new IllegalArgumentException("The local ClearML server needs an access key and a secret key");
        }
        this.credentials = credentials;
        this.router = new ApiRouter(faults, new Authenticator(credentials, tokens));
        this.listener = new HttpListener(port, router::handle);
        TaskCreation taskCreation = new TaskCreation(state);
        this.view = new StateView(state, taskCreation);
        taskCreation.register(router::add);
        new TaskQueryEndpoints(state).register(router::add);
        new TaskEditEndpoints(state).register(router::add);
        new TaskParameterEndpoints(state).register(router::add);
        new TaskStatusEndpoints(state).register(router::add);
        new QueueEndpoints(state).register(router::add);
        new WorkerEndpoints(state).register(router::add);
        new EventEndpoints(state).register(router::add);
        new MiscEndpoints(state, tokens).register(router::add);
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

    // ---- lifecycle -------------------------------------------------------------------------------------------

    /** Binds 127.0.0.1 and starts answering; returns this. */
    public LocalClearMLServer start() throws IOException {
        listener.start();
        return this;
    }

    /** The API base URL, e.g. {@code http://127.0.0.1:41234}. */
    public String apiUrl() {
        if (listener.port() == 0) {
            throw new IllegalStateException("The local ClearML server is not started");
        }
        return "http://127.0.0.1:" + listener.port();
    }

    public int port() {
        return listener.port();
    }

    public Credentials credentials() {
        return credentials;
    }

    @Override
    public void close() {
        listener.close();
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
        listener.refuseConnectionsFor(period);
    }

    /** Whether the server listens now (false while connections are refused, or before start or after close). */
    public boolean listening() {
        return listener.listening();
    }

    /** How many requests named {@code endpoint} (e.g. {@code tasks.started}) arrived, whatever the answer. */
    public long requestCount(String endpoint) {
        return router.requestCount(endpoint);
    }

    /** Requests per endpoint so far. */
    public Map<String, Long> requestCounts() {
        return router.requestCounts();
    }

    public void resetRequestCounts() {
        router.resetRequestCounts();
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
        return view.createTask(name, fields);
    }

    public String createTask(String name) {
        return createTask(name, Map.of());
    }

    /** Creates a queue; returns its id. */
    public String createQueue(String name) {
        return view.createQueue(name);
    }

    public String defaultQueueId() {
        return view.defaultQueueId();
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
        return router.internalCall(endpoint, body);
    }

    // ---- state as tests see it ---------------------------------------------------------------------------------

    /** A task's status, reason, message and the other fields tests look at; null if there is no such task. */
    public TaskSnapshot task(String taskId) {
        return view.task(taskId);
    }

    /** The whole task document as {@code tasks.get_by_id} returns it; null if there is no such task. */
    public Map<String, Object> taskJson(String taskId) {
        return view.taskJson(taskId);
    }

    public int taskCount() {
        return view.taskCount();
    }

    /** Task ids waiting in a queue, head first. */
    public List<String> queueTaskIds(String queueId) {
        return view.queueTaskIds(queueId);
    }

    /** The task's log events in timestamp order (arrival order among equal timestamps). */
    public List<LogEntry> logEvents(String taskId) {
        return view.logEvents(taskId);
    }

    /**
     * The task's console as lines, in order: every event's {@code msg} split at new lines (a final new line does not
     * make an extra empty line; an empty {@code msg} is one empty line).
     */

    public List<String> logLines(String taskId) {
        return view.logLines(taskId);
    }

    /** How many log events the task has. */
    public int logEventCount(String taskId) {
        return view.logEventCount(taskId);
    }

    /** The task's scalar events (the latest per iteration, metric and variant), in arrival order. */
    public List<ScalarSample> scalarEvents(String taskId) {
        return view.scalarEvents(taskId);
    }

    /** Registered workers whose timeout has not passed. */
    public List<WorkerSnapshot> workers() {
        return view.workers();
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
}
