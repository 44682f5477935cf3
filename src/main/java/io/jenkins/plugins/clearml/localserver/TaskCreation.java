package io.jenkins.plugins.clearml.localserver;

import static io.jenkins.plugins.clearml.localserver.ServerState.NODES;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.clearml.localserver.ServerState.StoredTask;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/** {@code tasks.create}: its validation and the new task document (also how tests seed tasks). */
final class TaskCreation {

    static final Set<String> TYPES = Set.of("training", "testing", "inference", "data_processing", "application",
            "monitor", "controller", "optimizer", "service", "qc", "custom", "report");

    private static final List<String> SCRIPT_TEXT_FIELDS =
            List.of("binary", "repository", "branch", "tag", "version_num", "entry_point", "working_dir");

    private final ServerState state;

    TaskCreation(ServerState state) {
        this.state = state;
    }

    void register(Consumer<Endpoint> out) {
        out.accept(new Endpoint("tasks.create", "1.0", true, this::create));
    }

    ObjectNode create(ApiCall call) {
        String name = call.required("name");
        String type = call.required("type");
        if (!TYPES.contains(type)) {
            throw ApiError.of(400, 12, "validation error", "error for field 'type'. invalid value", "value", type);
        }
        if (name.length() < 3) {
            throw ApiError.of(400, 800, "data validation error", "Field name: String value is too short", "name", name);
        }
        synchronized (state) {
            String project = call.text("project", null);
            if (project != null && !project.isEmpty() && !state.projects.containsKey(project)) {
                throw ApiError.of(400, 16, "value error", "project not found", "project", project);
            }
            String parent = call.text("parent", null);
            if (parent != null && !parent.isEmpty() && !state.tasks.containsKey(parent)) {
                throw ApiError.of(400, 16, "value error", "parent task not found", "parent", parent);
            }
            StoredTask t = newTask(name, type, call.body);
            return NODES.objectNode().put("id", t.id);
        }
    }

    /** Builds and stores a new {@code created} task from {@code tasks.create} fields. Caller holds the lock. */
    StoredTask newTask(String name, String type, ObjectNode fields) {
        String id = ServerState.newId();
        Instant now = state.now();
        String iso = Dates.iso(now);
        ObjectNode d = NODES.objectNode();
        d.put("id", id);
        d.put("name", name);
        d.put("user", LocalClearMLServer.USER_ID);
        d.put("company", LocalClearMLServer.COMPANY_ID);
        d.put("type", type);
        d.put("status", "created");
        d.put("status_reason", "");
        d.put("status_message", "");
        d.put("status_changed", iso);
        d.put("comment", fields.path("comment").asText(""));
        d.put("created", iso);
        d.put("last_update", iso);
        d.put("last_change", iso);
        d.put("last_changed_by", LocalClearMLServer.USER_ID);
        d.put("last_iteration", 0);
        d.put("active_duration", 0);
        putIfText(d, "project", fields);
        putIfText(d, "parent", fields);
        d.set("tags", ServerState.sortedArray(ApiCall.strings(fields.get("tags"))));
        d.set("system_tags", ServerState.sortedArray(ApiCall.strings(fields.get("system_tags"))));
        ObjectNode output = d.putObject("output");
        if (fields.hasNonNull("output_dest")) {
            output.put("destination", fields.get("output_dest").asText());
        }
        ObjectNode execution = d.putObject("execution");
        execution.putArray("artifacts");
        merge(execution, fields.get("execution"));
        ObjectNode script = d.putObject("script");
        script.put("binary", "python");
        merge(script, fields.get("script"));
        stripScript(script);
        d.set("hyperparams", ServerState.objectOrEmpty(copy(fields.get("hyperparams"))));
        d.set("configuration", ServerState.objectOrEmpty(copy(fields.get("configuration"))));
        d.set("container", ServerState.objectOrEmpty(copy(fields.get("container"))));
        d.set("runtime", ServerState.objectOrEmpty(copy(fields.get("runtime"))));
        ObjectNode models = d.putObject("models");
        models.putArray("input");
        models.putArray("output");
        merge(models, fields.get("models"));
        d.putObject("last_metrics");
        StoredTask t = new StoredTask(id, d);
        t.lastUpdate = now;
        state.tasks.put(id, t);
        return t;
    }

    private static void putIfText(ObjectNode d, String field, ObjectNode from) {
        JsonNode v = from.get(field);
        if (v != null && !v.isNull() && !v.asText().isEmpty()) {
            d.put(field, v.asText());
        }
    }

    private static JsonNode copy(JsonNode n) {
        return n == null ? null : n.deepCopy();
    }

    /** One-level merge of an embedded object ({@code execution}, {@code script}...), as {@code tasks.edit} does. */
    static void merge(ObjectNode target, JsonNode patch) {
        if (patch == null || !patch.isObject()) {
            return;
        }
        Iterator<Map.Entry<String, JsonNode>> it = patch.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            target.set(e.getKey(), e.getValue().deepCopy());
        }
    }

    static void stripScript(ObjectNode script) {
        for (String f : SCRIPT_TEXT_FIELDS) {
            JsonNode v = script.get(f);
            if (v != null && v.isTextual()) {
                script.put(f, v.asText().strip());
            }
        }
    }
}
