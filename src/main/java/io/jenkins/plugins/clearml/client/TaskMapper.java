package io.jenkins.plugins.clearml.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The server's task, queue and hyperparameter JSON as the client's records. */
final class TaskMapper {

    private TaskMapper() {
    }

    static Task task(JsonNode t) {
        JsonNode script = t.path("script");
        JsonNode container = t.path("container");
        return new Task(
                text(t, "id"),
                text(t, "name"),
                textOrNull(t, "project"),
                TaskStatus.fromWire(textOrNull(t, "status")),
                text(t, "status_reason"),
                text(t, "status_message"),
                script(script),
                new TaskContainer(text(container, "image"), text(container, "arguments"),
                        text(container, "setup_shell_script")),
                hyperparams(t.path("hyperparams")),
                objectMap(t.path("runtime")),
                textOrNull(t.path("execution"), "queue"),
                textOrNull(t, "last_worker"));
    }

    static TaskScript script(JsonNode s) {
        return new TaskScript(
                s.hasNonNull("binary") ? s.get("binary").asText() : "python",
                text(s, "repository"),
                text(s, "branch"),
                text(s, "tag"),
                text(s, "version_num"),
                text(s, "entry_point"),
                text(s, "working_dir"),
                text(s, "diff"),
                objectMap(s.path("requirements")));
    }

    /** {@code hyperparams} of a task: section → name → {@code {section, name, value...}}, as section → name → value. */
    static Map<String, Map<String, String>> hyperparams(JsonNode hp) {
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        if (!hp.isObject()) {
            return out;
        }
        hp.fields().forEachRemaining(section -> {
            Map<String, String> values = new LinkedHashMap<>();
            section.getValue().fields().forEachRemaining(p -> {
                JsonNode v = p.getValue();
                values.put(p.getKey(), v.isObject() ? v.path("value").asText("") : v.asText(""));
            });
            out.put(section.getKey(), Map.copyOf(values));
        });
        return out;
    }

    /** {@code tasks.get_hyper_params} {@code params[0].hyperparams}: a list of {@code {section, name, value}}. */
    static Map<String, Map<String, String>> hyperparamList(JsonNode list) {
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        for (JsonNode p : list) {
            out.computeIfAbsent(p.path("section").asText(""), k -> new LinkedHashMap<>())
                    .put(p.path("name").asText(""), p.path("value").asText(""));
        }
        return out;
    }

    static QueueInfo queue(JsonNode q) {
        List<String> taskIds = new ArrayList<>();
        for (JsonNode e : q.path("entries")) {
            String task = e.path("task").asText("");
            if (!task.isEmpty()) {
                taskIds.add(task);
            }
        }
        return new QueueInfo(text(q, "id"), text(q, "name"), strings(q.path("tags")), strings(q.path("system_tags")),
                taskIds);
    }

    static TaskState state(JsonNode t) {
        return new TaskState(TaskStatus.fromWire(textOrNull(t, "status")), text(t, "status_message"),
                text(t, "status_reason"));
    }

    static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        for (JsonNode n : array) {
            out.add(n.asText());
        }
        return out;
    }

    /** A JSON object as a map without null values (the records copy maps, which refuse nulls). */
    static Map<String, Object> objectMap(JsonNode n) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (!n.isObject()) {
            return out;
        }
        Iterator<Map.Entry<String, JsonNode>> it = n.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isNull()) {
                out.put(e.getKey(), ApiTransport.JSON.convertValue(e.getValue(), Object.class));
            }
        }
        return out;
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? "" : v.asText();
    }

    private static String textOrNull(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() || v.asText().isEmpty() ? null : v.asText();
    }
}
