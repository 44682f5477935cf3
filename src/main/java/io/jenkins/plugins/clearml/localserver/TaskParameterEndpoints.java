package io.jenkins.plugins.clearml.localserver;

import static io.jenkins.plugins.clearml.localserver.ServerState.NODES;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.clearml.localserver.ServerState.StoredTask;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/** A task's hyper parameters and configuration items: {@code tasks.*_hyper_params}, {@code tasks.*_configuration*}. */
final class TaskParameterEndpoints {

    private final ServerState state;

    TaskParameterEndpoints(ServerState state) {
        this.state = state;
    }

    void register(Consumer<Endpoint> out) {
        out.accept(new Endpoint("tasks.get_hyper_params", "1.0", true, this::getHyperParams));
        out.accept(new Endpoint("tasks.edit_hyper_params", "1.0", true, this::editHyperParams));
        out.accept(new Endpoint("tasks.get_configurations", "1.0", true, this::getConfigurations));
        out.accept(new Endpoint("tasks.get_configuration_names", "1.0", true, this::getConfigurationNames));
        out.accept(new Endpoint("tasks.edit_configuration", "1.0", true, this::editConfiguration));
    }

    ObjectNode getHyperParams(ApiCall call) {
        List<String> ids = requiredTaskIds(call);
        ArrayNode params = NODES.arrayNode();
        synchronized (state) {
            for (String id : ids) {
                StoredTask t = state.task(id);
                ObjectNode p = params.addObject();
                p.put("task", id);
                ArrayNode list = p.putArray("hyperparams");
                for (Map.Entry<String, JsonNode> s : sortedFields(t.doc.path("hyperparams")).entrySet()) {
                    for (Map.Entry<String, JsonNode> n : sortedFields(s.getValue()).entrySet()) {
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
            requireInEveryItem(items, "hyperparams", "section", "name", "value");
            boolean onlyProperties = true;
            for (JsonNode item : items) {
                onlyProperties &= "properties".equals(item.get("section").asText());
            }
            if (!onlyProperties) {
                TaskRules.checkEditableStatus(t, force);
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
        List<String> ids = requiredTaskIds(call);
        List<String> names = call.strings("names");
        ArrayNode out = NODES.arrayNode();
        synchronized (state) {
            for (String id : ids) {
                StoredTask t = state.task(id);
                ObjectNode c = out.addObject().put("task", id);
                ArrayNode items = c.putArray("configuration");
                sortedFields(t.doc.path("configuration")).forEach((name, item) -> {
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
        List<String> ids = requiredTaskIds(call);
        boolean skipEmpty = call.bool("skip_empty", true);
        ArrayNode out = NODES.arrayNode();
        synchronized (state) {
            for (String id : ids) {
                StoredTask t = state.task(id);
                ArrayNode names = out.addObject().put("task", id).putArray("names");
                sortedFields(t.doc.path("configuration")).forEach((name, item) -> {
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
        requireInEveryItem(items, "configuration", "name", "value");
        synchronized (state) {
            StoredTask t = state.task(id);
            TaskRules.checkEditableStatus(t, call.bool("force", false));
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

    private static List<String> requiredTaskIds(ApiCall call) {
        List<String> ids = call.strings("tasks");
        if (ids.isEmpty()) {
            throw ApiError.validation("tasks");
        }
        return ids;
    }

    /** An object's fields by name, as the server lists sections, parameters and configuration items. */
    private static TreeMap<String, JsonNode> sortedFields(JsonNode object) {
        TreeMap<String, JsonNode> sorted = new TreeMap<>();
        object.fields().forEachRemaining(e -> sorted.put(e.getKey(), e.getValue()));
        return sorted;
    }

    private static void requireInEveryItem(ArrayNode items, String arrayField, String... fields) {
        for (JsonNode item : items) {
            for (String f : fields) {
                if (!item.hasNonNull(f)) {
                    throw ApiError.validation(arrayField + "." + f);
                }
            }
        }
    }
}
