package io.jenkins.plugins.clearml.localserver;

import static io.jenkins.plugins.clearml.localserver.ServerState.NODES;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.clearml.localserver.ServerState.StoredQueue;
import io.jenkins.plugins.clearml.localserver.ServerState.StoredTask;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** {@code tasks.*}: creation, reads, edits and the status calls, with the server's state machine. */
final class TaskEndpoints {

    static final Set<String> TYPES = Set.of("training", "testing", "inference", "data_processing", "application",
            "monitor", "controller", "optimizer", "service", "qc", "custom", "report");

    private static final List<String> SCRIPT_TEXT_FIELDS =
            List.of("binary", "repository", "branch", "tag", "version_num", "entry_point", "working_dir");

    private final ServerState state;

    TaskEndpoints(ServerState state) {
        this.state = state;
    }

    void register(Consumer<Endpoint> out) {
        out.accept(new Endpoint("tasks.create", "1.0", true, this::create));
        out.accept(new Endpoint("tasks.get_by_id", "1.0", true, this::getById));
        out.accept(new Endpoint("tasks.get_all", "1.0", true, this::getAll));
        out.accept(new Endpoint("tasks.get_all_ex", "1.0", true, this::getAll));
        out.accept(new Endpoint("tasks.edit", "1.0", true, this::edit));
        out.accept(new Endpoint("tasks.update", "1.0", true, this::update));
        out.accept(new Endpoint("tasks.ping", "1.0", true, this::ping));
        out.accept(new Endpoint("tasks.set_requirements", "1.0", true, this::setRequirements));
        out.accept(new Endpoint("tasks.get_hyper_params", "1.0", true, this::getHyperParams));
        out.accept(new Endpoint("tasks.edit_hyper_params", "1.0", true, this::editHyperParams));
        out.accept(new Endpoint("tasks.get_configurations", "1.0", true, this::getConfigurations));
        out.accept(new Endpoint("tasks.get_configuration_names", "1.0", true, this::getConfigurationNames));
        out.accept(new Endpoint("tasks.edit_configuration", "1.0", true, this::editConfiguration));
        out.accept(new Endpoint("tasks.enqueue", "1.0", true, this::enqueue));
        out.accept(new Endpoint("tasks.dequeue", "1.0", true, this::dequeue));
        out.accept(new Endpoint("tasks.started", "1.0", true, this::started));
        out.accept(new Endpoint("tasks.stopped", "1.0", true, c -> simpleStatus(c, "stopped", true)));
        out.accept(new Endpoint("tasks.failed", "1.0", true, c -> simpleStatus(c, "failed", true)));
        out.accept(new Endpoint("tasks.close", "1.0", true, c -> simpleStatus(c, "closed", false)));
        out.accept(new Endpoint("tasks.completed", "2.2", true, this::completed));
        out.accept(new Endpoint("tasks.stop", "1.0", true, this::stop));
        out.accept(new Endpoint("tasks.publish", "1.0", true, this::publish));
        out.accept(new Endpoint("tasks.reset", "1.0", true, this::reset));
        out.accept(new Endpoint("tasks.delete", "1.0", true, this::delete));
        out.accept(new Endpoint("tasks.edit_runtime", "1.0", true, this::editRuntime));
    }

    // ---- create / read ---------------------------------------------------------------------------------------

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

    ObjectNode getById(ApiCall call) {
        String id = call.required("task");
        synchronized (state) {
            return NODES.objectNode().set("task", output(state.task(id)));
        }
    }

    ObjectNode getAll(ApiCall call) {
        List<String> ids = call.strings("id");
        List<String> statuses = call.strings("status");
        List<String> projects = call.strings("project");
        List<String> types = call.strings("type");
        List<String> systemTags = call.strings("system_tags");
        List<String> tags = call.strings("tags");
        List<String> onlyFields = call.strings("only_fields");
        String parent = call.text("parent", null);
        Pattern name = regex("name", call.text("name", null));
        boolean searchHidden = call.bool("search_hidden", false) || !ids.isEmpty();
        int page = (int) call.number("page", -1);
        int pageSize = (int) call.number("page_size", -1);
        if (pageSize > 500) {
            throw ApiError.invalidValue("page_size", pageSize);
        }
        List<ObjectNode> found = new ArrayList<>();
        synchronized (state) {
            Iterable<StoredTask> candidates;
            if (!ids.isEmpty()) {
                List<StoredTask> byId = new ArrayList<>();
                for (String id : ids) {
                    StoredTask t = state.tasks.get(id);
                    if (t != null) {
                        byId.add(t);
                    }
                }
                candidates = byId;
            } else {
                candidates = state.tasks.values();
            }
            for (StoredTask t : candidates) {
                ObjectNode d = t.doc;
                List<String> st = t.systemTags();
                if (!searchHidden && st.contains("hidden")) {
                    continue;
                }
                if (!statuses.isEmpty() && !statuses.contains(t.status())) {
                    continue;
                }
                if (!projects.isEmpty() && !projects.contains(d.path("project").asText(""))) {
                    continue;
                }
                if (!types.isEmpty() && !types.contains(d.path("type").asText(""))) {
                    continue;
                }
                if (parent != null && !parent.equals(d.path("parent").asText(""))) {
                    continue;
                }
                if (name != null && !name.matcher(d.path("name").asText("")).find()) {
                    continue;
                }
                if (!tagsMatch(tags, ApiCall.strings(d.get("tags"))) || !tagsMatch(systemTags, st)) {
                    continue;
                }
                found.add(d);
            }
            List<String> orderBy = call.strings("order_by");
            if (!orderBy.isEmpty()) {
                found.sort(comparator(orderBy));
            }
            if (pageSize > 0) {
                int from = Math.max(page, 0) * pageSize;
                found = from >= found.size() ? List.of() : new ArrayList<>(found.subList(from, Math.min(found.size(), from + pageSize)));
            }
            ArrayNode out = NODES.arrayNode();
            for (ObjectNode d : found) {
                out.add(onlyFields.isEmpty() ? d.deepCopy() : project(d, onlyFields));
            }
            ObjectNode data = NODES.objectNode();
            data.set("tasks", out);
            return data;
        }
    }

    private static boolean tagsMatch(List<String> filter, List<String> have) {
        for (String f : filter) {
            if (f.startsWith("-")) {
                if (have.contains(f.substring(1))) {
                    return false;
                }
            } else if (!have.contains(f)) {
                return false;
            }
        }
        return true;
    }

    private static Comparator<ObjectNode> comparator(List<String> orderBy) {
        Comparator<ObjectNode> c = null;
        for (String field : orderBy) {
            boolean desc = field.startsWith("-");
            String f = desc ? field.substring(1) : field;
            Comparator<ObjectNode> one = Comparator.comparing(d -> d.path(f).asText(""));
            if (desc) {
                one = one.reversed();
            }
            c = c == null ? one : c.thenComparing(one);
        }
        return c;
    }

    static Pattern regex(String field, String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            return Pattern.compile(value, Pattern.CASE_INSENSITIVE);
        } catch (PatternSyntaxException e) {
            throw ApiError.invalidValue(field, value);
        }
    }

    /** {@code only_fields} projection on dotted paths; {@code id} is always included. */
    static ObjectNode project(ObjectNode doc, List<String> paths) {
        ObjectNode out = NODES.objectNode();
        out.put("id", doc.path("id").asText());
        for (String path : paths) {
            String[] parts = path.split("\\.");
            JsonNode src = doc;
            for (String p : parts) {
                src = src == null ? null : src.get(p);
            }
            if (src == null) {
                continue;
            }
            ObjectNode dst = out;
            for (int i = 0; i < parts.length - 1; i++) {
                JsonNode next = dst.get(parts[i]);
                dst = next instanceof ObjectNode o ? o : dst.putObject(parts[i]);
            }
            dst.set(parts[parts.length - 1], src.deepCopy());
        }
        return out;
    }

    private static ObjectNode output(StoredTask t) {
        return t.doc.deepCopy();
    }

    // ---- edits -----------------------------------------------------------------------------------------------

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
                    merge(target, v);
                    if (f.equals("script")) {
                        stripScript(target);
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
                checkStatusValue("status", s);
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
                checkStatusValue("status", s);
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

    ObjectNode getHyperParams(ApiCall call) {
        List<String> ids = call.strings("tasks");
        if (ids.isEmpty()) {
            throw ApiError.validation("tasks");
        }
        ArrayNode params = NODES.arrayNode();
        synchronized (state) {
            for (String id : ids) {
                StoredTask t = state.task(id);
                ObjectNode p = params.addObject();
                p.put("task", id);
                ArrayNode list = p.putArray("hyperparams");
                TreeMap<String, JsonNode> sections = new TreeMap<>();
                t.doc.path("hyperparams").fields().forEachRemaining(e -> sections.put(e.getKey(), e.getValue()));
                for (Map.Entry<String, JsonNode> s : sections.entrySet()) {
                    TreeMap<String, JsonNode> names = new TreeMap<>();
                    s.getValue().fields().forEachRemaining(e -> names.put(e.getKey(), e.getValue()));
                    for (Map.Entry<String, JsonNode> n : names.entrySet()) {
                        ObjectNode item = list.addObject();
                        item.put("section", s.getKey());
                        item.put("name", n.getKey());
                        JsonNode v = n.getValue();
                        if (v.isObject()) {
                            item.put("value", v.path("value").asText(""));
                            if (v.hasNonNull("type")) {
                                item.put("type", v.get("type").asText());
                            }
                            if (v.hasNonNull("description")) {
                                item.put("description", v.get("description").asText());
                            }
                        } else {
                            item.put("value", v.asText());
                        }
                    }
                }
            }
        }
        return NODES.objectNode().set("params", params);
    }

    ObjectNode editHyperParams(ApiCall call) {
        String id = call.required("task");
        ArrayNode items = call.array("hyperparams");
        if (items == null) {
            throw ApiError.validation("hyperparams");
        }
        String replace = call.text("replace_hyperparams", "none");
        boolean force = call.bool("force", false);
        synchronized (state) {
            StoredTask t = state.task(id);
            boolean onlyProperties = true;
            for (JsonNode item : items) {
                for (String f : List.of("section", "name", "value")) {
                    if (!item.hasNonNull(f)) {
                        throw ApiError.validation("hyperparams." + f);
                    }
                }
                onlyProperties &= "properties".equals(item.get("section").asText());
            }
            if (!onlyProperties) {
                checkEditableStatus(t, force);
            }
            ObjectNode hp = ServerState.objectOrEmpty(t.doc.get("hyperparams"));
            if ("all".equals(replace)) {
                hp = NODES.objectNode();
            } else if ("section".equals(replace)) {
                for (JsonNode item : items) {
                    hp.remove(item.get("section").asText());
                }
            }
            for (JsonNode item : items) {
                String section = item.get("section").asText();
                ObjectNode s = hp.get(section) instanceof ObjectNode o ? o : hp.putObject(section);
                s.set(item.get("name").asText(), item.deepCopy());
            }
            t.doc.set("hyperparams", hp);
            state.touch(t, null);
            return NODES.objectNode().put("updated", 1);
        }
    }

    ObjectNode getConfigurations(ApiCall call) {
        List<String> ids = call.strings("tasks");
        if (ids.isEmpty()) {
            throw ApiError.validation("tasks");
        }
        List<String> names = call.strings("names");
        ArrayNode out = NODES.arrayNode();
        synchronized (state) {
            for (String id : ids) {
                StoredTask t = state.task(id);
                ObjectNode c = out.addObject().put("task", id);
                ArrayNode items = c.putArray("configuration");
                TreeMap<String, JsonNode> sorted = new TreeMap<>();
                t.doc.path("configuration").fields().forEachRemaining(e -> sorted.put(e.getKey(), e.getValue()));
                sorted.forEach((name, item) -> {
                    if (names.isEmpty() || names.contains(name)) {
                        ObjectNode copy = item.isObject() ? ((ObjectNode) item).deepCopy()
                                : NODES.objectNode().put("value", item.asText());
                        items.add(copy.put("name", name));
                    }
                });
            }
        }
        return NODES.objectNode().set("configurations", out);
    }

    ObjectNode getConfigurationNames(ApiCall call) {
        List<String> ids = call.strings("tasks");
        if (ids.isEmpty()) {
            throw ApiError.validation("tasks");
        }
        boolean skipEmpty = call.bool("skip_empty", true);
        ArrayNode out = NODES.arrayNode();
        synchronized (state) {
            for (String id : ids) {
                StoredTask t = state.task(id);
                ArrayNode names = out.addObject().put("task", id).putArray("names");
                TreeMap<String, JsonNode> sorted = new TreeMap<>();
                t.doc.path("configuration").fields().forEachRemaining(e -> sorted.put(e.getKey(), e.getValue()));
                sorted.forEach((name, item) -> {
                    if (!skipEmpty || !item.path("value").asText("").isEmpty()) {
                        names.add(name);
                    }
                });
            }
        }
        return NODES.objectNode().set("configurations", out);
    }

    ObjectNode editConfiguration(ApiCall call) {
        String id = call.required("task");
        ArrayNode items = call.array("configuration");
        if (items == null) {
            throw ApiError.validation("configuration");
        }
        for (JsonNode item : items) {
            for (String f : List.of("name", "value")) {
                if (!item.hasNonNull(f)) {
                    throw ApiError.validation("configuration." + f);
                }
            }
        }
        synchronized (state) {
            StoredTask t = state.task(id);
            checkEditableStatus(t, call.bool("force", false));
            ObjectNode configuration = call.bool("replace_configuration", false) ? NODES.objectNode()
                    : ServerState.objectOrEmpty(t.doc.get("configuration"));
            for (JsonNode item : items) {
                configuration.set(item.get("name").asText(), item.deepCopy());
            }
            t.doc.set("configuration", configuration);
            state.touch(t, null);
            return NODES.objectNode().put("updated", 1);
        }
    }

    private static void checkEditableStatus(StoredTask t, boolean force) {
        String s = t.status();
        if (s.equals("created") || (force && (s.equals("queued") || s.equals("in_progress")))) {
            return;
        }
        throw ApiError.expectedStatus("created", s);
    }

    ObjectNode editRuntime(ApiCall call) {
        String id = call.required("task");
        synchronized (state) {
            StoredTask t = state.task(id);
            // as the real server: a running task's runtime (e.g. the SDK's abort-callback flags) needs force
            checkEditableStatus(t, call.bool("force", false));
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

    // ---- status calls ----------------------------------------------------------------------------------------

    ObjectNode started(ApiCall call) {
        String id = call.body.path("task").asText(null);
        if (id == null || id.isEmpty()) {
            throw ApiError.validation("task");
        }
        synchronized (state) {
            StoredTask t = state.tasks.get(id);
            if (t == null) {
                throw ApiError.of(400, 10, "invalid object id", null, "task", "None");
            }
            boolean wasRunning = "in_progress".equals(t.status());
            ObjectNode fields = state.changeStatus(t, "in_progress", call.text("status_reason", ""),
                    call.text("status_message", ""), call.bool("force", false));
            if (!wasRunning) {
                Instant now = state.now();
                t.started = now;
                t.doc.put("started", Dates.iso(now));
                t.doc.remove("completed");
                t.doc.put("active_duration", 0);
                fields.put("started", Dates.iso(now));
            }
            return NODES.objectNode().put("updated", 1).put("started", 1).set("fields", fields);
        }
    }

    private ObjectNode simpleStatus(ApiCall call, String status, boolean setCompleted) {
        String id = call.required("task");
        synchronized (state) {
            StoredTask t = state.task(id);
            ObjectNode fields = state.changeStatus(t, status, call.text("status_reason", ""),
                    call.text("status_message", ""), call.bool("force", false));
            if (setCompleted) {
                String iso = Dates.iso(state.now());
                t.doc.put("completed", iso);
                fields.put("completed", iso);
            }
            return NODES.objectNode().put("updated", 1).set("fields", fields);
        }
    }

    ObjectNode completed(ApiCall call) {
        ObjectNode res = simpleStatus(call, "completed", true);
        if (call.bool("publish", false)) {
            synchronized (state) {
                StoredTask t = state.task(call.required("task"));
                state.changeStatus(t, "published", call.text("status_reason", ""), call.text("status_message", ""), true);
                t.doc.put("published", Dates.iso(state.now()));
            }
            res.put("published", 1);
        }
        return res;
    }

    ObjectNode publish(ApiCall call) {
        String id = call.required("task");
        boolean force = call.bool("force", false);
        synchronized (state) {
            StoredTask t = state.task(id);
            state.changeStatus(t, "publishing", call.text("status_reason", ""), call.text("status_message", ""), force);
            ObjectNode fields = state.changeStatus(t, "published", call.text("status_reason", ""),
                    call.text("status_message", ""), force);
            t.doc.put("published", Dates.iso(state.now()));
            return NODES.objectNode().put("updated", 1).set("fields", fields);
        }
    }

    ObjectNode stop(ApiCall call) {
        String id = call.required("task");
        boolean force = call.bool("force", false);
        synchronized (state) {
            StoredTask t = state.task(id);
            boolean queued = "queued".equals(t.status());
            boolean setStopped = queued || t.systemTags().contains("development") || !state.hasLiveWorker(t);
            ObjectNode fields;
            if (setStopped) {
                if (queued) {
                    state.removeFromQueues(id, null);
                }
                fields = state.changeStatus(t, "stopped", call.text("status_reason", ""),
                        "Stopped by " + LocalClearMLServer.USER_NAME, force);
            } else {
                fields = state.changeStatus(t, t.status(), call.text("status_reason", ""), "stopping", force);
            }
            return NODES.objectNode().put("updated", 1).set("fields", fields);
        }
    }

    ObjectNode enqueue(ApiCall call) {
        String id = call.required("task");
        String queueId = call.text("queue", null);
        String queueName = call.text("queue_name", null);
        if (queueId != null && !queueId.isEmpty() && queueName != null && !queueName.isEmpty()) {
            throw ApiError.of(400, 12, "validation error", "Either queue id or queue name should be provided");
        }
        boolean updateExecutionQueue = call.bool("update_execution_queue", true);
        synchronized (state) {
            StoredTask t = state.task(id);
            StoredQueue q;
            if (queueId != null && !queueId.isEmpty()) {
                q = state.queue(queueId);
            } else if (queueName != null && !queueName.isEmpty()) {
                q = state.queueByName(queueName);
                if (q == null) {
                    q = state.createQueue(queueName, List.of(), List.of());
                }
            } else {
                q = state.defaultQueue();
            }
            String previous = t.status();
            String previousEnqueueStatus = t.enqueueStatus;
            ObjectNode fields = state.changeStatus(t, "queued", call.text("status_reason", ""),
                    call.text("status_message", ""), false);
            t.enqueueStatus = previous;
            for (StoredQueue other : state.queues.values()) {
                if (other != q) {
                    other.entries.remove(id);
                }
            }
            if (q.entries.containsKey(id)) {
                // the real server rolls the status back when adding to the queue fails
                state.changeStatus(t, previous, "", "", true);
                t.enqueueStatus = previousEnqueueStatus;
                throw ApiError.of(400, 706, "failed adding task to queue since task is already queued", null,
                        "task", id, "queue", q.id);
            }
            q.entries.put(id, state.now());
            q.lastUpdate = state.now();
            if (updateExecutionQueue) {
                ServerState.child(t.doc, "execution").put("queue", q.id);
                fields.put("execution.queue", q.id);
            }
            List<String> systemTags = t.systemTags();
            if (systemTags.remove("development")) {
                t.doc.set("system_tags", ServerState.sortedArray(systemTags));
            }
            ObjectNode data = NODES.objectNode().put("queued", 1).put("updated", 1);
            data.set("fields", fields);
            if (call.bool("verify_watched_queue", false)) {
                state.expireWorkers();
                String target = q.id;
                boolean watched = state.workers.values().stream().anyMatch(w -> w.queues.contains(target));
                data.put("queue_watched", watched);
            }
            return data;
        }
    }

    ObjectNode dequeue(ApiCall call) {
        String id = call.required("task");
        String newStatus = call.text("new_status", null);
        if (newStatus != null) {
            checkStatusValue("new_status", newStatus);
        }
        boolean all = call.bool("remove_from_all_queues", false);
        synchronized (state) {
            StoredTask t = state.task(id);
            String queue = t.doc.path("execution").path("queue").asText("");
            if (!all && queue.isEmpty()) {
                throw ApiError.missingRequired("task has no queue value", "execution.queue");
            }
            int removed = state.removeFromQueues(id, all ? null : queue);
            ObjectNode data = NODES.objectNode().put("dequeued", removed > 0 ? 1 : 0);
            String status = t.status();
            if (!status.equals("queued") && !status.equals("in_progress")) {
                return data.put("updated", 0);
            }
            String target = newStatus != null ? newStatus : t.enqueueStatus != null ? t.enqueueStatus : "created";
            ObjectNode fields = state.changeStatus(t, target, call.text("status_reason", ""),
                    call.text("status_message", ""), true);
            t.enqueueStatus = null;
            return data.put("updated", 1).set("fields", fields);
        }
    }

    ObjectNode reset(ApiCall call) {
        String id = call.required("task");
        boolean force = call.bool("force", false);
        synchronized (state) {
            StoredTask t = state.task(id);
            if ("published".equals(t.status()) && !force) {
                throw ApiError.invalidStatusChange("published", "created");
            }
            int removed = state.removeFromQueues(id, null);
            ObjectNode fields = state.changeStatus(t, "created", "reset", "reset", force);
            ObjectNode d = t.doc;
            for (String f : List.of("started", "completed", "published", "last_worker", "last_worker_report")) {
                d.remove(f);
            }
            d.put("last_iteration", 0);
            d.put("active_duration", 0);
            d.putObject("last_metrics");
            d.putObject("runtime");
            ServerState.child(d, "execution").remove("queue");
            ServerState.child(d, "models").putArray("output");
            ObjectNode output = ServerState.child(d, "output");
            output.remove("result");
            output.remove("error");
            if (call.bool("clear_all", false)) {
                d.putObject("execution").putArray("artifacts");
                d.putObject("script");
            }
            t.started = null;
            t.enqueueStatus = null;
            ServerState.TaskEvents removedEvents = state.events.remove(id);
            ObjectNode data = NODES.objectNode().put("updated", 1);
            data.set("fields", fields);
            data.putObject("dequeued").put("removed", removed);
            data.put("deleted_models", 0);
            data.putObject("urls");
            data.put("events", removedEvents == null ? 0 : removedEvents.logs.size() + removedEvents.scalars.size());
            return data;
        }
    }

    ObjectNode delete(ApiCall call) {
        String id = call.required("task");
        boolean force = call.bool("force", false);
        synchronized (state) {
            StoredTask t = state.task(id);
            if (!force && !"created".equals(t.status()) && !t.systemTags().contains("archived")) {
                throw ApiError.of(400, 123, "task cannot be deleted", null, "id", id, "status", t.status());
            }
            state.removeFromQueues(id, null);
            state.tasks.remove(id);
            state.events.remove(id);
            return NODES.objectNode().put("deleted", 1);
        }
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    private static void checkStatusValue(String field, String status) {
        if (!ServerState.STATUSES.contains(status)) {
            throw ApiError.invalidValue(field, status);
        }
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

    private static void stripScript(ObjectNode script) {
        for (String f : SCRIPT_TEXT_FIELDS) {
            JsonNode v = script.get(f);
            if (v != null && v.isTextual()) {
                script.put(f, v.asText().strip());
            }
        }
    }
}
