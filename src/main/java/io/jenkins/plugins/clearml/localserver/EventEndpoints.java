package io.jenkins.plugins.clearml.localserver;

import static io.jenkins.plugins.clearml.localserver.ServerState.NODES;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.clearml.localserver.ServerState.LogRecord;
import io.jenkins.plugins.clearml.localserver.ServerState.ScalarRecord;
import io.jenkins.plugins.clearml.localserver.ServerState.StoredTask;
import io.jenkins.plugins.clearml.localserver.ServerState.TaskEvents;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/** {@code events.*}: log and scalar events, json-lines batches with the server's strict content type. */
final class EventEndpoints {

    static final String JSON_LINES = "application/json-lines";
    private static final Set<String> TYPES = Set.of("log", "training_stats_scalar", "training_stats_vector",
            "training_debug_image", "plot");
    private static final Set<String> IGNORED_ITERATION_METRICS = Set.of(":monitor:machine", ":monitor:gpu");

    private final ServerState state;

    EventEndpoints(ServerState state) {
        this.state = state;
    }

    void register(Consumer<Endpoint> out) {
        out.accept(new Endpoint("events.add", "1.0", true, c -> store(c, List.of(c.body))));
        out.accept(new Endpoint("events.add_batch", "1.0", true, c -> store(c, parseBatch(c))));
        out.accept(new Endpoint("events.get_task_log", "1.0", true, this::getTaskLog));
    }

    /**
     * The batch body: json-lines when the content type is exactly {@code application/json-lines}, otherwise a single
     * JSON document (a batch of one), as the real server does.
     */
    private static List<ObjectNode> parseBatch(ApiCall call) {
        if (!JSON_LINES.equals(call.contentType)) {
            // the router already parsed the body as one JSON object (an array or garbage was refused there)
            if (call.body.isEmpty()) {
                throw ApiError.of(400, 17, "batch request contains no items", null);
            }
            return List.of(call.body);
        }
        byte[] body = call.rawBody;
        List<ObjectNode> out = new ArrayList<>();
        int start = 0;
        int len = body.length;
        while (start < len) {
            int end = start;
            while (end < len && body[end] != '\n') {
                end++;
            }
            // parsed from the bytes where they lie (a batch of a million log lines is 10+ MB): invalid UTF-8 and
            // anything but JSON's own whitespace around a line are refused, as a JSON parser of the real server does
            int from = start;
            int to = end;
            while (from < to && isJsonSpace(body[from])) {
                from++;
            }
            while (to > from && isJsonSpace(body[to - 1])) {
                to--;
            }
            boolean last = end >= len - 1;
            if (from == to) {
                if (!last) {
                    throw new ApiError(400, 0, "Bad Request: empty line in json-lines body");
                }
            } else {
                try {
                    JsonNode n = ServerState.JSON.readTree(body, from, to - from);
                    if (!(n instanceof ObjectNode o)) {
                        throw new ApiError(400, 0, "Bad Request: each json-lines line must be a JSON object");
                    }
                    out.add(o);
                } catch (JsonProcessingException e) {
                    throw new ApiError(400, 0, "Bad Request: invalid JSON line: " + e.getOriginalMessage());
                } catch (java.io.IOException e) {
                    throw new ApiError(400, 0, "Bad Request: invalid JSON line: " + e.getMessage());
                }
            }
            start = end + 1;
        }
        if (out.isEmpty()) {
            throw ApiError.of(400, 17, "batch request contains no items", null);
        }
        return out;
    }

    private static boolean isJsonSpace(byte b) {
        return b == ' ' || b == '\t' || b == '\r' || b == '\n';
    }

    private ObjectNode store(ApiCall call, List<ObjectNode> batch) {
        Map<String, Integer> errors = new LinkedHashMap<>();
        int added = 0;
        String defaultWorker = call.workerHeader == null || call.workerHeader.isEmpty() ? "<unknown>" : call.workerHeader;
        synchronized (state) {
            long nowMs = state.now().toEpochMilli();
            for (ObjectNode e : batch) {
                String type = e.path("type").asText("").replace(' ', '_');
                if (type.isEmpty()) {
                    errors.merge("Event must have a 'type' field", 1, Integer::sum);
                    continue;
                }
                if (!TYPES.contains(type)) {
                    errors.merge("Invalid event type " + type, 1, Integer::sum);
                    continue;
                }
                String taskId = e.path("task").asText("");
                if (taskId.isEmpty()) {
                    errors.merge("Event must have a 'task' field", 1, Integer::sum);
                    continue;
                }
                StoredTask t = state.tasks.get(taskId);
                String status = t == null ? "" : t.status();
                boolean locked = status.equals("published") || status.equals("publishing");
                if (t == null || (locked && !e.path("allow_locked").asBoolean(false))) {
                    errors.merge("Invalid task id " + taskId, 1, Integer::sum);
                    continue;
                }
                long timestamp = e.has("timestamp") ? e.get("timestamp").asLong() : e.has("ts") ? e.get("ts").asLong() : nowMs;
                String worker = e.path("worker").asText(defaultWorker);
                String metric = e.path("metric").asText("");
                String variant = e.path("variant").asText("");
                TaskEvents te = state.eventsOf(taskId);
                switch (type) {
                    case "log" -> te.addLog(new LogRecord(timestamp, te.nextSeq++, e.path("level").asText("info"), worker,
                            e.path("msg").asText(""), metric, variant));
                    case "training_stats_scalar" -> {
                        JsonNode value = e.get("value");
                        if (value == null || !value.isNumber()) {
                            errors.merge("Invalid scalar value", 1, Integer::sum);
                            continue;
                        }
                        long iter = e.path("iter").asLong(0);
                        te.scalars.put(iter + "-" + metric + "-" + variant,
                                new ScalarRecord(metric, variant, iter, value.asDouble(), timestamp, worker));
                        updateLastMetrics(t, metric, variant, iter, value.asDouble(), e.path("x_axis_label").asText(null));
                    }
                    default -> {
                        te.otherEvents++;
                        if (e.has("iter") && !IGNORED_ITERATION_METRICS.contains(metric)) {
                            updateIteration(t, e.get("iter").asLong());
                        }
                    }
                }
                Instant now = state.now();
                t.lastUpdate = now;
                t.doc.put("last_update", Dates.iso(now));
                added++;
            }
        }
        int errorCount = errors.values().stream().mapToInt(Integer::intValue).sum();
        if (added == 0 && errorCount > 0) {
            List<Object> kv = new ArrayList<>();
            errors.forEach((k, v) -> {
                kv.add(k);
                kv.add(v);
            });
            throw ApiError.of(400, 131, "events not added", null, kv.toArray());
        }
        ObjectNode data = NODES.objectNode().put("added", added).put("errors", errorCount);
        ObjectNode info = data.putObject("errors_info");
        errors.forEach(info::put);
        return data;
    }

    private static void updateIteration(StoredTask t, long iter) {
        if (iter > t.doc.path("last_iteration").asLong(0)) {
            t.doc.put("last_iteration", iter);
        }
    }

    private static void updateLastMetrics(StoredTask t, String metric, String variant, long iter, double value, String xAxis) {
        if (!IGNORED_ITERATION_METRICS.contains(metric)) {
            updateIteration(t, iter);
        }
        ObjectNode lm = ServerState.child(t.doc, "last_metrics");
        ObjectNode m = ServerState.child(lm, md5(metric));
        ObjectNode v = m.get(md5(variant)) instanceof ObjectNode o ? o : m.putObject(md5(variant));
        long count = v.path("count").asLong(0);
        if (count == 0) {
            v.put("metric", metric).put("variant", variant).put("first_value", value).put("first_value_iteration", iter)
                    .put("min_value", value).put("min_value_iteration", iter)
                    .put("max_value", value).put("max_value_iteration", iter).put("mean_value", value);
        } else {
            if (value < v.path("min_value").asDouble()) {
                v.put("min_value", value).put("min_value_iteration", iter);
            }
            if (value > v.path("max_value").asDouble()) {
                v.put("max_value", value).put("max_value_iteration", iter);
            }
            v.put("mean_value", (v.path("mean_value").asDouble() * count + value) / (count + 1));
        }
        v.put("value", value).put("count", count + 1);
        if (xAxis != null) {
            v.put("x_axis_label", xAxis);
        }
    }

    static String md5(String s) {
        try {
            byte[] d = java.security.MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8));
            StringBuilder sb = new StringBuilder(32);
            for (byte b : d) {
                sb.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
            }
            return sb.toString();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The 2.9+ paging: {@code navigate_earlier} (default true) walks from the newest event back; {@code from_timestamp}
     * is exclusive; events sharing the last returned timestamp are all included so that paging never skips one;
     * {@code order} only flips the returned batch.
     */
    ObjectNode getTaskLog(ApiCall call) {
        String taskId = call.required("task");
        int batchSize = (int) call.number("batch_size", 5000);
        boolean earlier = call.bool("navigate_earlier", true);
        Long from = call.body.hasNonNull("from_timestamp") ? call.number("from_timestamp", 0) : null;
        String order = call.text("order", null);
        List<LogRecord> page = new ArrayList<>();
        int total;
        synchronized (state) {
            state.task(taskId);
            TaskEvents te = state.events.get(taskId);
            List<LogRecord> logs = te == null ? List.of() : te.logs;
            total = Math.min(logs.size(), 10000);
            if (earlier) {
                int i = from == null ? logs.size() - 1 : lowerBound(logs, from) - 1;
                for (; i >= 0 && page.size() < batchSize; i--) {
                    page.add(logs.get(i));
                }
                for (; i >= 0 && !page.isEmpty() && logs.get(i).timestamp() == page.get(page.size() - 1).timestamp(); i--) {
                    page.add(logs.get(i));
                }
            } else {
                int i = from == null ? 0 : upperBound(logs, from);
                for (; i < logs.size() && page.size() < batchSize; i++) {
                    page.add(logs.get(i));
                }
                for (; i < logs.size() && !page.isEmpty() && logs.get(i).timestamp() == page.get(page.size() - 1).timestamp(); i++) {
                    page.add(logs.get(i));
                }
            }
        }
        if (order != null && ((earlier && order.equals("asc")) || (!earlier && order.equals("desc")))) {
            Collections.reverse(page);
        }
        ArrayNode events = NODES.arrayNode();
        for (LogRecord r : page) {
            ObjectNode e = events.addObject();
            e.put("type", "log").put("task", taskId).put("timestamp", r.timestamp())
                    .put("@timestamp", Dates.iso(Instant.ofEpochMilli(r.timestamp())))
                    .put("level", r.level()).put("worker", r.worker()).put("msg", r.msg())
                    .put("metric", r.metric()).put("variant", r.variant()).put("model_event", false);
        }
        ObjectNode data = NODES.objectNode();
        data.set("events", events);
        data.put("returned", page.size()).put("total", total);
        return data;
    }

    /** First index whose timestamp is >= ts. */
    private static int lowerBound(List<LogRecord> logs, long ts) {
        int lo = 0;
        int hi = logs.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (logs.get(mid).timestamp() < ts) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** First index whose timestamp is > ts. */
    private static int upperBound(List<LogRecord> logs, long ts) {
        int lo = 0;
        int hi = logs.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (logs.get(mid).timestamp() <= ts) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
