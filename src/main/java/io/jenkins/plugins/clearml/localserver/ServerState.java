package io.jenkins.plugins.clearml.localserver;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Everything the local server stores. One monitor ({@code synchronized (state)}) guards it all: every endpoint
 * holds it only for in-memory map work (JSON parsing and writing happen outside), which keeps status changes
 * conditional and {@code queues.get_next_task} atomic, as on the real server, and is fast enough for hundreds of
 * pollers.
 */
final class ServerState {

    static final ObjectMapper JSON = new ObjectMapper();
    /** For requests, like the server's decoder: trailing tokens after the JSON value are an error. */
    static final ObjectMapper STRICT_JSON =
            new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** The real server's live-worker rule: {@code apiserver.workers.task_update_timeout}. */
    static final Duration TASK_UPDATE_TIMEOUT = Duration.ofSeconds(600);
    static final int DEFAULT_WORKER_TIMEOUT_S = 600;

    /** {@code apiserver/bll/task/utils.py} state_machine. */
    static final Map<String, Set<String>> TRANSITIONS = Map.of(
            "created", Set.of("queued", "in_progress"),
            "queued", Set.of("created", "in_progress", "stopped"),
            "in_progress", Set.of("stopped", "failed", "created", "completed"),
            "stopped", Set.of("closed", "created", "failed", "queued", "in_progress", "published", "publishing", "completed"),
            "closed", Set.of("created", "failed", "published", "publishing", "stopped"),
            "failed", Set.of("created", "stopped", "published", "queued"),
            "publishing", Set.of("published"),
            "published", Set.of(),
            "completed", Set.of("published", "in_progress", "created"));

    static final Set<String> STATUSES = Set.of("created", "queued", "in_progress", "stopped", "published", "publishing",
            "closed", "failed", "completed", "unknown");

    volatile Clock clock = Clock.systemUTC();

    final Map<String, StoredTask> tasks = new LinkedHashMap<>();
    final Map<String, StoredQueue> queues = new LinkedHashMap<>();
    final Map<String, WorkerRecord> workers = new LinkedHashMap<>();
    final Map<String, ObjectNode> projects = new LinkedHashMap<>();
    final Map<String, TaskEvents> events = new HashMap<>();

    /** 32 lowercase hex characters, like the server's {@code uuid4().hex}; not secret, so no SecureRandom lock. */
    static String newId() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        char[] out = new char[32];
        long hi = r.nextLong();
        long lo = r.nextLong();
        for (int i = 0; i < 16; i++) {
            out[15 - i] = Character.forDigit((int) (hi >>> (4 * i)) & 0xf, 16);
            out[31 - i] = Character.forDigit((int) (lo >>> (4 * i)) & 0xf, 16);
        }
        return new String(out);
    }

    Instant now() {
        return clock.instant();
    }

    // ---- tasks -----------------------------------------------------------------------------------------------

    /** A task: its JSON document as returned, plus the hidden fields. */
    static final class StoredTask {
        final String id;
        final ObjectNode doc;
        String enqueueStatus;
        Instant lastUpdate;
        Instant started;

        StoredTask(String id, ObjectNode doc) {
            this.id = id;
            this.doc = doc;
        }

        String status() {
            return doc.path("status").asText("created");
        }

        List<String> systemTags() {
            return ApiCall.strings(doc.get("system_tags"));
        }
    }

    StoredTask task(String id) {
        StoredTask t = id == null ? null : tasks.get(id);
        if (t == null) {
            throw ApiError.invalidTaskId(id);
        }
        return t;
    }

    void touch(StoredTask t, ObjectNode fields) {
        Instant now = now();
        t.lastUpdate = now;
        String iso = Dates.iso(now);
        t.doc.put("last_update", iso);
        t.doc.put("last_change", iso);
        t.doc.put("last_changed_by", LocalClearMLServer.USER_ID);
        if (fields != null) {
            fields.put("last_update", iso);
            fields.put("last_change", iso);
            fields.put("last_changed_by", LocalClearMLServer.USER_ID);
        }
    }

    /**
     * The server's {@code ChangeStatusRequest}: checks the transition table unless forced (same status is always
     * allowed), then writes status, reason, message and the timestamps. Returns the changed fields.
     */
    ObjectNode changeStatus(StoredTask t, String newStatus, String reason, String message, boolean force) {
        String current = t.status();
        if (!force && !current.equals(newStatus)) {
            Set<String> allowed = TRANSITIONS.get(current);
            if (allowed == null) {
                throw ApiError.of(500, 1, "internal server error", "Invalid status change", "current_status", current,
                        "new_status", newStatus);
            }
            if (!allowed.contains(newStatus)) {
                throw ApiError.invalidStatusChange(current, newStatus);
            }
        }
        ObjectNode fields = NODES.objectNode();
        String iso = Dates.iso(now());
        t.doc.put("status", newStatus);
        t.doc.put("status_reason", reason == null ? "" : reason);
        t.doc.put("status_message", message == null ? "" : message);
        t.doc.put("status_changed", iso);
        fields.put("status", newStatus);
        fields.put("status_reason", reason == null ? "" : reason);
        fields.put("status_message", message == null ? "" : message);
        fields.put("status_changed", iso);
        touch(t, fields);
        return fields;
    }

    boolean hasLiveWorker(StoredTask t) {
        String lastWorker = t.doc.path("last_worker").asText("");
        return !lastWorker.isEmpty() && t.lastUpdate != null
                && Duration.between(t.lastUpdate, now()).compareTo(TASK_UPDATE_TIMEOUT) < 0;
    }

    /** Removes the task from every queue (or one); returns how many entries were removed. */
    int removeFromQueues(String taskId, String onlyQueue) {
        int removed = 0;
        for (StoredQueue q : queues.values()) {
            if ((onlyQueue == null || q.id.equals(onlyQueue)) && q.entries.remove(taskId) != null) {
                q.lastUpdate = now();
                removed++;
            }
        }
        return removed;
    }

    // ---- queues ----------------------------------------------------------------------------------------------

    /** A queue; {@code entries} is task id → added date, in FIFO order (head first). */
    static final class StoredQueue {
        final String id;
        final String name;
        final Instant created;
        final List<String> tags;
        final List<String> systemTags;
        LinkedHashMap<String, Instant> entries = new LinkedHashMap<>();
        Instant lastUpdate;

        StoredQueue(String id, String name, Instant created, List<String> tags, List<String> systemTags) {
            this.id = id;
            this.name = name;
            this.created = created;
            this.tags = tags;
            this.systemTags = systemTags;
            this.lastUpdate = created;
        }

        ObjectNode toJson() {
            ObjectNode q = NODES.objectNode();
            q.put("id", id);
            q.put("name", name);
            q.put("display_name", name);
            q.put("company", LocalClearMLServer.COMPANY_ID);
            q.put("created", Dates.iso(created));
            q.set("tags", sortedArray(tags));
            q.set("system_tags", sortedArray(systemTags));
            ArrayNode e = q.putArray("entries");
            entries.forEach((task, added) -> e.addObject().put("task", task).put("added", Dates.iso(added)));
            q.put("last_update", Dates.iso(lastUpdate));
            q.putObject("metadata");
            return q;
        }
    }

    StoredQueue queue(String id) {
        StoredQueue q = id == null ? null : queues.get(id);
        if (q == null) {
            throw ApiError.invalidQueueId(id);
        }
        return q;
    }

    StoredQueue queueByName(String name) {
        for (StoredQueue q : queues.values()) {
            if (q.name.equals(name)) {
                return q;
            }
        }
        return null;
    }

    StoredQueue createQueue(String name, List<String> tags, List<String> systemTags) {
        if (name == null || name.length() < 3) {
            throw ApiError.of(400, 800, "data validation error", "Field name: String value is too short", "name", name);
        }
        if (queueByName(name) != null) {
            throw ApiError.of(400, 801, "value combination already exists (unique field already contains this value)",
                    null, "name", name);
        }
        StoredQueue q = new StoredQueue(newId(), name, now(), List.copyOf(tags), List.copyOf(systemTags));
        queues.put(q.id, q);
        return q;
    }

    StoredQueue defaultQueue() {
        StoredQueue found = null;
        for (StoredQueue q : queues.values()) {
            if (q.systemTags.contains("default")) {
                if (found != null) {
                    throw ApiError.of(400, 708, "more than one queue is tagged as the default queue for this company", null);
                }
                found = q;
            }
        }
        if (found == null) {
            throw ApiError.of(400, 707, "no queue is tagged as the default queue for this company", null);
        }
        return found;
    }

    // ---- workers ---------------------------------------------------------------------------------------------

    static final class WorkerRecord {
        final String id;
        Instant registerTime;
        int timeoutSeconds = DEFAULT_WORKER_TIMEOUT_S;
        Instant lastActivity;
        Instant lastReport;
        List<String> queues = List.of();
        List<String> tags = List.of();
        List<String> systemTags = List.of();
        String task;
        String queue;
        ObjectNode machineStats;
        String ip = "127.0.0.1";

        WorkerRecord(String id, Instant now) {
            this.id = id;
            this.registerTime = now;
            this.lastActivity = now;
        }

        boolean expired(Instant now) {
            return lastActivity.plusSeconds(timeoutSeconds).isBefore(now);
        }
    }

    /** Drops registrations whose timeout passed without a register or status report. */
    void expireWorkers() {
        Instant now = now();
        workers.values().removeIf(w -> w.expired(now));
    }

    // ---- events ----------------------------------------------------------------------------------------------

    /** One stored log event; {@code seq} keeps arrival order among equal timestamps. */
    record LogRecord(long timestamp, long seq, String level, String worker, String msg, String metric, String variant) {
    }

    /** One stored scalar event (the latest value per task, iteration, metric and variant). */
    record ScalarRecord(String metric, String variant, long iter, double value, long timestamp, String worker) {
    }

    /** The events of one task: log records sorted by (timestamp, arrival), scalars keyed as the server keys them. */
    static final class TaskEvents {
        final ArrayList<LogRecord> logs = new ArrayList<>();
        final LinkedHashMap<String, ScalarRecord> scalars = new LinkedHashMap<>();
        long otherEvents;
        long nextSeq;

        void addLog(LogRecord r) {
            int n = logs.size();
            if (n == 0 || logs.get(n - 1).timestamp() <= r.timestamp()) {
                logs.add(r);
                return;
            }
            // out-of-order timestamp: insert after every event with a timestamp <= this one
            int lo = 0;
            int hi = n;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (logs.get(mid).timestamp() <= r.timestamp()) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            logs.add(lo, r);
        }
    }

    TaskEvents eventsOf(String taskId) {
        return events.computeIfAbsent(taskId, k -> new TaskEvents());
    }

    List<LogRecord> logsSnapshot(String taskId) {
        TaskEvents e = events.get(taskId);
        return e == null ? List.of() : List.copyOf(e.logs);
    }

    static ArrayNode sortedArray(List<String> values) {
        List<String> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        ArrayNode a = NODES.arrayNode();
        sorted.forEach(a::add);
        return a;
    }

    /** The object under {@code field}, created (or replacing a non-object) if needed. */
    static ObjectNode child(ObjectNode parent, String field) {
        JsonNode n = parent.get(field);
        return n instanceof ObjectNode o ? o : parent.putObject(field);
    }

    static ObjectNode objectOrEmpty(JsonNode n) {
        return n != null && n.isObject() ? (ObjectNode) n : NODES.objectNode();
    }
}
