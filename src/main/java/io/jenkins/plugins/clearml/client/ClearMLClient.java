package io.jenkins.plugins.clearml.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Typed calls to a ClearML API server (POST {@code {api}/v2.26/{service}.{action}}), as the real agent makes them.
 * Thread-safe; one instance per server and worker id. Every failure is a {@link ClearMLException} whose message
 * names the call and, for the server's refusals, its result code, subcode and message.
 *
 * <p>Reliability: the session token is obtained lazily, reused, renewed before it expires and once on any 401.
 * Calls that are safe to repeat are retried with exponential backoff and jitter on connection errors, timeouts
 * and 5xx/429 answers for up to {@link ClientSettings#retryWindow()}; {@code tasks.create}, {@code queues.create},
 * {@code queues.get_next_task} and {@code tasks.dequeue} are repeated only when the request certainly did not reach
 * the server, and
 * event batches never (their sender owns retries). See {@code docs/clearml-api-client.md}.
 */
public class ClearMLClient implements AutoCloseable {

    /** Largest {@code events.add_batch} request body; longer lists are sent as several requests. */
    public static final int MAX_BATCH_BYTES = 1024 * 1024;
    /** The API version pinned in every URL (see {@link ApiTransport}). */
    public static final String API_VERSION = ApiTransport.API_VERSION;

    private static final byte NEWLINE = '\n';
    private static final int LOG_PAGE = 5000;

    private final ClientSettings settings;
    private final ApiTransport transport;

    public ClearMLClient(ClientSettings settings) {
        this(settings, null);
    }

    /**
     * A client that uses {@code authToken} (e.g. {@code CLEARML_AUTH_TOKEN}) as its session token instead of logging
     * in with the access key; null or blank means log in as usual.
     */
    public ClearMLClient(ClientSettings settings, String authToken) {
        this.settings = settings;
        this.transport = new ApiTransport(settings, authToken);
    }

    public ClientSettings settings() {
        return settings;
    }

    // ---- auth ------------------------------------------------------------------------------------------------

    /** {@code auth.login} with the access key and secret; the token is kept and renewed on 401. */
    public void login() throws ClearMLException {
        transport.login();
    }

    // ---- tasks -----------------------------------------------------------------------------------------------

    /** {@code tasks.get_by_id}. */
    public Task getTask(String taskId) throws ClearMLException {
        JsonNode data = call("tasks.get_by_id", body("task", taskId));
        return TaskMapper.task(data.path("task"));
    }

    /** {@code tasks.get_all} with {@code only_fields=[status,status_message,status_reason]}; empty if no such task. */
    public Optional<TaskState> getTaskState(String taskId) throws ClearMLException {
        ObjectNode b = body();
        b.putArray("id").add(taskId);
        b.putArray("only_fields").add("status").add("status_message").add("status_reason");
        b.put("search_hidden", true);
        JsonNode tasks = call("tasks.get_all", b).path("tasks");
        return tasks.isEmpty() ? Optional.empty() : Optional.of(TaskMapper.state(tasks.get(0)));
    }

    /** {@code tasks.get_all} with {@code only_fields=[status,execution.queue]}; empty if no such task. */
    public Optional<TaskQueueState> getTaskQueueState(String taskId) throws ClearMLException {
        ObjectNode b = body();
        b.putArray("id").add(taskId);
        b.putArray("only_fields").add("status").add("execution.queue");
        b.put("search_hidden", true);
        JsonNode tasks = call("tasks.get_all", b).path("tasks");
        if (tasks.isEmpty()) {
            return Optional.empty();
        }
        JsonNode t = tasks.get(0);
        String queue = t.path("execution").path("queue").asText("");
        return Optional.of(new TaskQueueState(TaskStatus.fromWire(t.path("status").asText(null)),
                queue.isEmpty() ? null : queue));
    }

    /** {@code tasks.create}; returns the new id (used by the demo, tests and tools). {@code type} defaults to training. */
    public String createTask(Map<String, Object> fields) throws ClearMLException {
        ObjectNode b = ApiTransport.JSON.valueToTree(fields);
        if (!b.hasNonNull("type")) {
            b.put("type", "training");
        }
        return transport.call("tasks.create", b, RetryPolicy.ONLY_IF_NOT_DELIVERED).path("id").asText();
    }

    /**
     * Some of the task's runtime properties ({@code runtime.<name>}, which the SDK sets with {@code tasks.edit}),
     * read with {@code tasks.get_all} as the real agent reads the abort-callback ones; those not set are absent.
     * Values are as stored: numbers, text or booleans.
     */
    public Map<String, Object> getRuntimeProperties(String taskId, List<String> names) throws ClearMLException {
        ObjectNode b = body();
        b.putArray("id").add(taskId);
        ArrayNode fields = b.putArray("only_fields").add("status").add("status_message");
        names.forEach(n -> fields.add("runtime." + n));
        b.put("search_hidden", true);
        JsonNode tasks = call("tasks.get_all", b).path("tasks");
        return tasks.isEmpty() ? Map.of() : TaskMapper.objectMap(tasks.get(0).path("runtime"));
    }

    /** {@code tasks.enqueue}; {@code queueId} null means the default queue. */
    public void enqueue(String taskId, String queueId, String statusReason) throws ClearMLException {
        ObjectNode b = body("task", taskId);
        if (queueId != null && !queueId.isBlank()) {
            b.put("queue", queueId);
        }
        putIfNotNull(b, "status_reason", statusReason);
        // a repeat after a lost answer finds the task already in that queue: the first attempt did the work
        transport.call("tasks.enqueue", b, RetryPolicy.IDEMPOTENT, ClearMLClient::isAlreadyQueued);
    }

    private static boolean isAlreadyQueued(ClearMLException e) {
        return e.resultCode() == 400 && e.resultSubcode() == 706;
    }

    /**
     * {@code tasks.dequeue} with {@code new_status}; returns {@code data.updated} (1 if the task really was queued).
     * Not repeated after a lost answer: a repeat would answer 0 for a task this call did dequeue, so the caller gets
     * the error and must read the task's state instead.
     */
    public int dequeue(String taskId, TaskStatus newStatus) throws ClearMLException {
        ObjectNode b = body("task", taskId);
        if (newStatus != null) {
            b.put("new_status", newStatus.wireName());
        }
        return transport.call("tasks.dequeue", b, RetryPolicy.ONLY_IF_NOT_DELIVERED).path("updated").asInt(0);
    }

    /** {@code tasks.started}. */
    public void started(String taskId, String statusReason, String statusMessage, boolean force) throws ClearMLException {
        call("tasks.started", statusBody(taskId, statusReason, statusMessage, force));
    }

    /** {@code tasks.completed}. */
    public void completed(String taskId, String statusReason, String statusMessage) throws ClearMLException {
        call("tasks.completed", statusBody(taskId, statusReason, statusMessage, false));
    }

    /** {@code tasks.stopped}. */
    public void stopped(String taskId, String statusReason, String statusMessage, boolean force) throws ClearMLException {
        call("tasks.stopped", statusBody(taskId, statusReason, statusMessage, force));
    }

    /** {@code tasks.failed}. */
    public void failed(String taskId, String statusReason, String statusMessage, boolean force) throws ClearMLException {
        call("tasks.failed", statusBody(taskId, statusReason, statusMessage, force));
    }

    /** {@code tasks.stop} (what the web UI's Abort sends). */
    public void stop(String taskId, String statusReason, boolean force) throws ClearMLException {
        call("tasks.stop", statusBody(taskId, statusReason, null, force));
    }

    /** {@code tasks.update} with a status message only (e.g. why a task waits for a node). */
    public void updateStatusMessage(String taskId, String statusMessage) throws ClearMLException {
        call("tasks.update", body("task", taskId).put("status_message", statusMessage == null ? "" : statusMessage));
    }

    /** {@code tasks.ping}. */
    public void ping(String taskId) throws ClearMLException {
        call("tasks.ping", body("task", taskId));
    }

    /** {@code tasks.set_requirements}. */
    public void setRequirements(String taskId, Map<String, Object> requirements) throws ClearMLException {
        ObjectNode b = body("task", taskId);
        b.set("requirements", ApiTransport.JSON.valueToTree(requirements));
        call("tasks.set_requirements", b);
    }

    /** {@code tasks.edit} with {@code force: true}; {@code fields} e.g. {@code {"script": {"version_num": sha}}}. */
    public void edit(String taskId, Map<String, Object> fields) throws ClearMLException {
        ObjectNode b = ApiTransport.JSON.valueToTree(fields);
        b.put("task", taskId);
        b.put("force", true);
        call("tasks.edit", b);
    }

    /** {@code tasks.get_hyper_params}: section → name → value. */
    public Map<String, Map<String, String>> getHyperParams(String taskId) throws ClearMLException {
        ObjectNode b = body();
        b.putArray("tasks").add(taskId);
        JsonNode params = call("tasks.get_hyper_params", b).path("params");
        for (JsonNode p : params) {
            if (taskId.equals(p.path("task").asText())) {
                return TaskMapper.hyperparamList(p.path("hyperparams"));
            }
        }
        return new LinkedHashMap<>();
    }

    // ---- queues ----------------------------------------------------------------------------------------------

    /** {@code queues.get_all} by exact name (case-insensitive), as the agent resolves {@code --queue}. */
    public Optional<QueueInfo> findQueueByName(String name) throws ClearMLException {
        ObjectNode b = body("name", "^" + regexEscape(name) + "$");
        b.put("search_hidden", true);
        for (JsonNode q : call("queues.get_all", b).path("queues")) {
            if (q.path("name").asText().equalsIgnoreCase(name)) {
                return Optional.of(TaskMapper.queue(q));
            }
        }
        return Optional.empty();
    }

    /** {@code queues.get_all} with {@code id=[...]}: metadata and waiting task ids of several queues in one call. */
    public List<QueueInfo> getQueues(List<String> queueIds) throws ClearMLException {
        if (queueIds.isEmpty()) {
            return List.of();
        }
        ObjectNode b = body();
        ArrayNode ids = b.putArray("id");
        queueIds.forEach(ids::add);
        b.put("search_hidden", true);
        List<QueueInfo> out = new ArrayList<>();
        for (JsonNode q : call("queues.get_all", b).path("queues")) {
            out.add(TaskMapper.queue(q));
        }
        return out;
    }

    /** {@code queues.get_default}. */
    public QueueInfo getDefaultQueue() throws ClearMLException {
        String id = call("queues.get_default", body()).path("id").asText();
        return TaskMapper.queue(call("queues.get_by_id", body("queue", id)).path("queue"));
    }

    /** {@code queues.create}; returns the id. */
    public String createQueue(String name) throws ClearMLException {
        return transport.call("queues.create", body("name", name), RetryPolicy.ONLY_IF_NOT_DELIVERED).path("id").asText();
    }

    /**
     * {@code queues.get_next_task}: pops the head of the queue; empty when the queue is empty. Not repeated after a
     * lost answer: the pop may have happened, and a second pop would take a second task. (A task popped by a call
     * whose answer was lost stays {@code queued} without being in any queue, exactly as with the official agent;
     * {@code tasks.enqueue} or the web UI puts it back.)
     */
    public Optional<String> getNextTask(String queueId) throws ClearMLException {
        JsonNode data = transport.call("queues.get_next_task", body("queue", queueId), RetryPolicy.ONLY_IF_NOT_DELIVERED);
        String task = data.path("entry").path("task").asText("");
        return task.isEmpty() ? Optional.empty() : Optional.of(task);
    }

    /** {@code queues.add_task} then {@code queues.move_task_to_front}: puts a task back at the head of its queue. */
    public void returnToFront(String queueId, String taskId) throws ClearMLException {
        ObjectNode b = body("queue", queueId).put("task", taskId);
        try {
            call("queues.add_task", b);
        } catch (ClearMLException e) {
            if (!isAlreadyQueued(e)) {
                throw e; // 706: it is in the queue already (or a retry found our first add); move it anyway
            }
        }
        call("queues.move_task_to_front", b);
    }

    // ---- workers ---------------------------------------------------------------------------------------------

    /** {@code workers.register}. */
    public void registerWorker(String workerId, List<String> queueIds, int timeoutSeconds) throws ClearMLException {
        ObjectNode b = body("worker", workerId);
        ArrayNode queues = b.putArray("queues");
        queueIds.forEach(queues::add);
        if (timeoutSeconds > 0) {
            b.put("timeout", timeoutSeconds);
        }
        call("workers.register", b);
    }

    /** {@code workers.unregister}. */
    public void unregisterWorker(String workerId) throws ClearMLException {
        call("workers.unregister", body("worker", workerId));
    }

    /** {@code workers.status_report}. */
    public void statusReport(StatusReport report) throws ClearMLException {
        ObjectNode b = body("worker", report.worker());
        b.put("timestamp", report.timestampMillis());
        putIfNotNull(b, "task", report.task());
        putIfNotNull(b, "queue", report.queue());
        if (report.queues() != null) {
            ArrayNode q = b.putArray("queues");
            report.queues().forEach(q::add);
        }
        if (report.tags() != null) {
            ArrayNode t = b.putArray("tags");
            report.tags().forEach(t::add);
        }
        if (report.machineStats() != null) {
            b.set("machine_stats", machineStats(report.machineStats()));
        }
        call("workers.status_report", b);
    }

    private static ObjectNode machineStats(MachineStats s) {
        ObjectNode m = ApiTransport.JSON.createObjectNode();
        putList(m, "cpu_usage", s.cpuUsage());
        putList(m, "cpu_temperature", s.cpuTemperature());
        putNumber(m, "memory_used", s.memoryUsed());
        putNumber(m, "memory_free", s.memoryFree());
        putNumber(m, "disk_free_home", s.diskFreeHome());
        putNumber(m, "disk_free_temp", s.diskFreeTemp());
        putNumber(m, "disk_read", s.diskRead());
        putNumber(m, "disk_write", s.diskWrite());
        putNumber(m, "network_rx", s.networkRx());
        putNumber(m, "network_tx", s.networkTx());
        putList(m, "gpu_usage", s.gpuUsage());
        putList(m, "gpu_temperature", s.gpuTemperature());
        putList(m, "gpu_memory_used", s.gpuMemoryUsed());
        putList(m, "gpu_memory_free", s.gpuMemoryFree());
        return m;
    }

    // ---- events ----------------------------------------------------------------------------------------------

    /**
     * {@code events.add_batch} as JSON lines; returns {@code data.added}. Lists over {@link #MAX_BATCH_BYTES} go as
     * several requests. Never retried here: the caller owns retries. If a later request fails after earlier ones
     * were stored, the exception is a {@link ClearMLBatchException} telling how many were.
     */
    public int addLogEvents(List<LogEvent> events) throws ClearMLException {
        List<ObjectNode> lines = new ArrayList<>(events.size());
        for (LogEvent e : events) {
            ObjectNode o = ApiTransport.JSON.createObjectNode();
            o.put("type", "log").put("task", e.task()).put("timestamp", e.timestampMillis())
                    .put("level", e.level() == null ? "info" : e.level())
                    .put("worker", e.worker() == null ? settings.workerId() : e.worker())
                    .put("msg", e.msg() == null ? "" : e.msg());
            lines.add(o);
        }
        return sendBatch(lines);
    }

    /** {@code events.add_batch} with scalar events (machine monitoring series). */
    public int addScalarEvents(List<ScalarEvent> events) throws ClearMLException {
        List<ObjectNode> lines = new ArrayList<>(events.size());
        for (ScalarEvent e : events) {
            ObjectNode o = ApiTransport.JSON.createObjectNode();
            o.put("type", "training_stats_scalar").put("task", e.task()).put("timestamp", e.timestampMillis())
                    .put("iter", e.iteration()).put("metric", e.metric()).put("variant", e.variant())
                    .put("value", e.value());
            if (settings.workerId() != null) {
                o.put("worker", settings.workerId());
            }
            lines.add(o);
        }
        return sendBatch(lines);
    }

    private int sendBatch(List<ObjectNode> events) throws ClearMLException {
        if (events.isEmpty()) {
            return 0;
        }
        int added = 0;
        int sent = 0;
        int inPacket = 0;
        ByteArrayOutputStream packet = new ByteArrayOutputStream(Math.min(MAX_BATCH_BYTES, 64 * 1024));
        try {
            for (ObjectNode e : events) {
                byte[] line = ApiTransport.JSON.writeValueAsBytes(e);
                if (inPacket > 0 && packet.size() + line.length + 1 > MAX_BATCH_BYTES) {
                    added += postPacket(packet.toByteArray(), sent);
                    sent += inPacket;
                    packet.reset();
                    inPacket = 0;
                }
                packet.write(line);
                packet.write(NEWLINE);
                inPacket++;
            }
        } catch (JsonProcessingException ex) {
            throw new IllegalArgumentException("Cannot write an event as JSON", ex);
        } catch (java.io.IOException ex) {
            throw new IllegalStateException(ex); // ByteArrayOutputStream does not throw
        }
        return added + postPacket(packet.toByteArray(), sent);
    }

    private int postPacket(byte[] body, int alreadyStored) throws ClearMLException {
        try {
            return transport.callJsonLines("events.add_batch", body).path("added").asInt(0);
        } catch (ClearMLException e) {
            throw alreadyStored == 0 ? e : new ClearMLBatchException(e, alreadyStored);
        }
    }

    /** {@code events.get_task_log}, oldest first: the {@code msg} of every log event (tests, demo). */
    public List<String> getTaskLog(String taskId) throws ClearMLException {
        List<String> out = new ArrayList<>();
        Long from = null;
        while (true) {
            ObjectNode b = body("task", taskId);
            b.put("navigate_earlier", false).put("order", "asc").put("batch_size", LOG_PAGE);
            if (from != null) {
                b.put("from_timestamp", from);
            }
            JsonNode events = call("events.get_task_log", b).path("events");
            if (events.isEmpty()) {
                return out;
            }
            for (JsonNode e : events) {
                out.add(e.path("msg").asText(""));
            }
            long last = events.get(events.size() - 1).path("timestamp").asLong();
            if (from != null && last <= from) {
                return out; // a server that does not page by timestamp: stop instead of looping
            }
            from = last;
        }
    }

    @Override
    public void close() {
        transport.close();
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    private JsonNode call(String endpoint, ObjectNode body) throws ClearMLException {
        return transport.call(endpoint, body, RetryPolicy.IDEMPOTENT);
    }

    private static ObjectNode body() {
        return ApiTransport.JSON.createObjectNode();
    }

    private static ObjectNode body(String field, String value) {
        return body().put(field, value);
    }

    private static ObjectNode statusBody(String taskId, String reason, String message, boolean force) {
        ObjectNode b = body("task", taskId);
        putIfNotNull(b, "status_reason", reason);
        putIfNotNull(b, "status_message", message);
        b.put("force", force);
        return b;
    }

    private static void putIfNotNull(ObjectNode b, String field, String value) {
        if (value != null) {
            b.put(field, value);
        }
    }

    private static void putNumber(ObjectNode m, String field, Double value) {
        if (value != null) {
            m.put(field, value);
        }
    }

    private static void putList(ObjectNode m, String field, List<Double> values) {
        if (values != null && !values.isEmpty()) {
            ArrayNode a = m.putArray(field);
            values.forEach(a::add);
        }
    }

    /** Escapes regex metacharacters the way Python's {@code re.escape} does for them (the server matches a regex). */
    static String regexEscape(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 8);
        for (char c : s.toCharArray()) {
            if (".^$*+?{}[]\\|()".indexOf(c) >= 0) {
                sb.append('\\');
            }
            sb.append(c);
        }
        return sb.toString();
    }
}
