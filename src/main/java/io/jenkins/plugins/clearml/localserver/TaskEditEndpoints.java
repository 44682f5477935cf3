package io.jenkins.plugins.clearml.localserver;

import static io.jenkins.plugins.clearml.localserver.ServerState.NODES;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.clearml.localserver.ServerState.StoredTask;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

/**
 * The calls that change a task's fields: {@code tasks.edit}, {@code update}, {@code ping}, {@code set_requirements}
 * and {@code edit_runtime}.
 */
final class TaskEditEndpoints {

    private final ServerState state;

    TaskEditEndpoints(ServerState state) {
        this.state = state;
    }

    void register(Consumer<Endpoint> out) {
        out.accept(new Endpoint("tasks.edit", "1.0", true, this::edit));
        out.accept(new Endpoint("tasks.update", "1.0", true, this::update));
        out.accept(new Endpoint("tasks.ping", "1.0", true, this::ping));
        out.accept(new Endpoint("tasks.set_requirements", "1.0", true, this::setRequirements));
        out.accept(new Endpoint("tasks.edit_runtime", "1.0", true, this::editRuntime));
    }

    ObjectNode edit(ApiCall call) {
        String id = call.required("task");
        boolean force = call.bool("force", false);
        synchronized (state) {
            StoredTask t = state.task(id);
            if (!force && !"created".equals(t.status())) {
                throw ApiError.expectedStatus("created", t.status());
            }
            ObjectNode fields = NODES.objectNode();
            ObjectNode d = t.doc;
            copyTextAndTags(call, d, fields, "name", "comment", "project", "parent", "type");
            for (String f : List.of("execution", "script", "output", "models")) {
                JsonNode v = call.body.get(f);
                if (v != null && v.isObject()) {
                    ObjectNode target = ServerState.objectOrEmpty(d.get(f));
                    d.set(f, target);
                    TaskCreation.merge(target, v);
                    if (f.equals("script")) {
                        TaskCreation.stripScript(target);
                    }
                    fields.set(f, target.deepCopy());
                }
            }
            for (String f : List.of("hyperparams", "configuration", "container", "runtime")) {
                JsonNode v = call.body.get(f);
                if (v != null && v.isObject()) {
                    d.set(f, v.deepCopy());
                    fields.set(f, v.deepCopy());
                }
            }
            if (call.body.hasNonNull("status")) {
                String s = call.body.get("status").asText();
                TaskRules.checkStatusValue("status", s);
                d.put("status", s);
                fields.put("status", s);
            }
            state.touch(t, fields);
            return NODES.objectNode().put("updated", 1).set("fields", fields);
        }
    }

    /** Copies the given text fields and the tag lists present in the request onto the task, noting each change. */
    private static void copyTextAndTags(ApiCall call, ObjectNode d, ObjectNode fields, String... textFields) {
        for (String f : textFields) {
            if (call.body.hasNonNull(f)) {
                d.put(f, call.body.get(f).asText());
                fields.put(f, call.body.get(f).asText());
            }
        }
        for (String f : List.of("tags", "system_tags")) {
            if (call.body.has(f)) {
                d.set(f, ServerState.sortedArray(call.strings(f)));
                fields.set(f, d.get(f).deepCopy());
            }
        }
    }

    ObjectNode update(ApiCall call) {
        String id = call.required("task");
        synchronized (state) {
            StoredTask t = state.task(id);
            ObjectNode fields = NODES.objectNode();
            ObjectNode d = t.doc;
            copyTextAndTags(call, d, fields, "name", "comment", "project", "status_reason", "status_message");
            if (call.body.hasNonNull("output__error")) {
                ServerState.child(d, "output").put("error", call.body.get("output__error").asText());
                fields.put("output.error", call.body.get("output__error").asText());
            }
            if (call.body.hasNonNull("status")) {
                String s = call.body.get("status").asText();
                TaskRules.checkStatusValue("status", s);
                d.put("status", s);
                d.put("status_changed", Dates.iso(state.now()));
                fields.put("status", s);
            }
            state.touch(t, fields);
            return NODES.objectNode().put("updated", 1).set("fields", fields);
        }
    }

    ObjectNode ping(ApiCall call) {
        String id = call.required("task");
        synchronized (state) {
            StoredTask t = state.tasks.get(id);
            if (t != null) {
                Instant now = state.now();
                t.lastUpdate = now;
                t.doc.put("last_update", Dates.iso(now));
                if ("in_progress".equals(t.status()) && t.started != null) {
                    t.doc.put("active_duration", Duration.between(t.started, now).toSeconds());
                }
            }
        }
        return NODES.objectNode();
    }

    ObjectNode setRequirements(ApiCall call) {
        String id = call.required("task");
        ObjectNode requirements = call.object("requirements");
        if (requirements == null) {
            throw ApiError.validation("requirements");
        }
        synchronized (state) {
            StoredTask t = state.task(id);
            JsonNode script = t.doc.get("script");
            if (script == null || !script.isObject()) {
                throw ApiError.of(400, 122, "task is missing expected fields", null, "field", "script", "task", id);
            }
            ((ObjectNode) script).set("requirements", requirements.deepCopy());
            ObjectNode fields = NODES.objectNode();
            fields.set("script.requirements", requirements.deepCopy());
            state.touch(t, fields);
            return NODES.objectNode().put("updated", 1).set("fields", fields);
        }
    }

    ObjectNode editRuntime(ApiCall call) {
        String id = call.required("task");
        synchronized (state) {
            StoredTask t = state.task(id);
            // as the real server: a running task's runtime (e.g. the SDK's abort-callback flags) needs force
            TaskRules.checkEditableStatus(t, call.bool("force", false));
            ObjectNode runtime = ServerState.objectOrEmpty(t.doc.get("runtime"));
            ObjectNode add = call.object("add_or_update");
            if (add != null) {
                runtime.setAll(add.deepCopy());
            }
            for (String key : call.strings("remove")) {
                runtime.remove(key);
            }
            t.doc.set("runtime", runtime);
            state.touch(t, null);
            return NODES.objectNode().put("updated", 1);
        }
    }
}
