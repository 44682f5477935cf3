package io.jenkins.plugins.clearml.localserver;

import static io.jenkins.plugins.clearml.localserver.ServerState.NODES;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.clearml.localserver.ServerState.StoredQueue;
import io.jenkins.plugins.clearml.localserver.ServerState.StoredTask;
import io.jenkins.plugins.clearml.localserver.ServerState.WorkerRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/** {@code workers.*}: a registry with timeouts; status reports auto-register and mark the running task. */
final class WorkerEndpoints {

    private final ServerState state;

    WorkerEndpoints(ServerState state) {
        this.state = state;
    }

    void register(Consumer<Endpoint> out) {
        out.accept(new Endpoint("workers.register", "2.4", true, this::registerWorker));
        out.accept(new Endpoint("workers.unregister", "2.4", true, this::unregister));
        out.accept(new Endpoint("workers.status_report", "2.4", true, this::statusReport));
        out.accept(new Endpoint("workers.get_all", "2.4", true, this::getAll));
        out.accept(new Endpoint("workers.get_count", "2.26", true, this::getCount));
    }

    ObjectNode registerWorker(ApiCall call) {
        String id = call.required("worker");
        long timeout = call.number("timeout", 0);
        if (timeout < 0) {
            throw ApiError.of(400, 1002, "invalid timeout", null, "timeout", timeout);
        }
        List<String> queues = call.strings("queues");
        synchronized (state) {
            for (String q : queues) {
                state.queue(q);
            }
            Instant now = state.now();
            WorkerRecord w = state.workers.get(id);
            if (w == null || w.expired(now)) {
                w = new WorkerRecord(id, now);
                state.workers.put(id, w);
            }
            w.timeoutSeconds = timeout == 0 ? ServerState.DEFAULT_WORKER_TIMEOUT_S : (int) timeout;
            w.lastActivity = now;
            w.queues = List.copyOf(queues);
            if (call.body.has("tags")) {
                w.tags = List.copyOf(call.strings("tags"));
            }
            if (call.body.has("system_tags")) {
                w.systemTags = List.copyOf(call.strings("system_tags"));
            }
        }
        return NODES.objectNode();
    }

    ObjectNode unregister(ApiCall call) {
        String id = call.required("worker");
        synchronized (state) {
            state.workers.remove(id);
        }
        return NODES.objectNode();
    }

    ObjectNode statusReport(ApiCall call) {
        String id = call.required("worker");
        if (!call.body.hasNonNull("timestamp")) {
            throw ApiError.validation("timestamp");
        }
        call.number("timestamp", 0);
        String task = call.text("task", null);
        ObjectNode stats = call.object("machine_stats");
        synchronized (state) {
            Instant now = state.now();
            StoredTask t = null;
            if (task != null && !task.isEmpty()) {
                t = state.task(task);
            }
            WorkerRecord w = state.workers.get(id);
            if (w == null || w.expired(now)) {
                w = new WorkerRecord(id, now);
                state.workers.put(id, w);
            }
            w.lastActivity = now;
            w.lastReport = now;
            w.task = t == null ? null : t.id;
            w.queue = call.text("queue", null);
            if (call.body.has("queues")) {
                w.queues = List.copyOf(call.strings("queues"));
            }
            if (call.body.has("tags")) {
                w.tags = List.copyOf(call.strings("tags"));
            }
            if (stats != null) {
                w.machineStats = stats.deepCopy();
            }
            if (t != null) {
                String iso = Dates.iso(now);
                t.doc.put("last_worker", id);
                t.doc.put("last_worker_report", iso);
                state.touch(t, null);
            }
        }
        return NODES.objectNode();
    }

    ObjectNode getAll(ApiCall call) {
        long lastSeen = call.number("last_seen", 3600);
        Pattern pattern = wildcard(call.text("worker_pattern", null));
        ArrayNode out = NODES.arrayNode();
        synchronized (state) {
            state.expireWorkers();
            Instant now = state.now();
            for (WorkerRecord w : state.workers.values()) {
                if (lastSeen > 0 && Duration.between(w.lastActivity, now).toSeconds() > lastSeen) {
                    continue;
                }
                if (pattern != null && !pattern.matcher(w.id).matches()) {
                    continue;
                }
                out.add(toJson(w, now));
            }
        }
        ObjectNode data = NODES.objectNode();
        data.set("workers", out);
        return data;
    }

    ObjectNode getCount(ApiCall call) {
        synchronized (state) {
            state.expireWorkers();
            return NODES.objectNode().put("count", state.workers.size());
        }
    }

    private ObjectNode toJson(WorkerRecord w, Instant now) {
        ObjectNode o = NODES.objectNode();
        o.put("id", w.id);
        o.put("key", "worker_" + LocalClearMLServer.COMPANY_ID + "_" + LocalClearMLServer.USER_ID + "_" + w.id);
        o.put("ip", w.ip);
        o.putObject("user").put("id", LocalClearMLServer.USER_ID).put("name", LocalClearMLServer.USER_NAME);
        o.putObject("company").put("id", LocalClearMLServer.COMPANY_ID).put("name", "local");
        o.put("register_time", Dates.iso(w.registerTime));
        o.put("register_timeout", w.timeoutSeconds);
        o.put("last_activity_time", Dates.iso(w.lastActivity));
        if (w.lastReport != null) {
            o.put("last_report_time", Dates.iso(w.lastReport));
        }
        if (w.task != null) {
            StoredTask t = state.tasks.get(w.task);
            ObjectNode task = o.putObject("task").put("id", w.task);
            if (t != null) {
                task.put("name", t.doc.path("name").asText());
                task.put("last_iteration", t.doc.path("last_iteration").asLong());
                if (t.started != null) {
                    task.put("running_time", Duration.between(t.started, now).toMillis());
                }
            }
        }
        if (w.queue != null) {
            o.set("queue", queueJson(w.queue));
        }
        ArrayNode queues = o.putArray("queues");
        for (String q : w.queues) {
            queues.add(queueJson(q));
        }
        o.set("tags", ServerState.sortedArray(w.tags));
        o.set("system_tags", ServerState.sortedArray(w.systemTags));
        if (w.machineStats != null) {
            o.set("machine_stats", w.machineStats.deepCopy());
        }
        return o;
    }

    private ObjectNode queueJson(String id) {
        ObjectNode q = NODES.objectNode().put("id", id);
        StoredQueue sq = state.queues.get(id);
        if (sq != null) {
            q.put("name", sq.name).put("display_name", sq.name).put("num_tasks", sq.entries.size());
            if (!sq.entries.isEmpty()) {
                String next = sq.entries.keySet().iterator().next();
                StoredTask t = state.tasks.get(next);
                q.putObject("next_task").put("id", next).put("name", t == null ? "" : t.doc.path("name").asText());
            }
        }
        return q;
    }

    private static Pattern wildcard(String pattern) {
        if (pattern == null || pattern.isEmpty()) {
            return null;
        }
        StringBuilder sb = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            sb.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf(c)));
        }
        return Pattern.compile(sb.toString());
    }
}
