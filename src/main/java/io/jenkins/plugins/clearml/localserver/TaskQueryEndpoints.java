package io.jenkins.plugins.clearml.localserver;

import static io.jenkins.plugins.clearml.localserver.ServerState.NODES;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.clearml.localserver.ServerState.StoredTask;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/** {@code tasks.get_by_id} and {@code tasks.get_all(_ex)}: task reads, filtered, ordered, paged and projected. */
final class TaskQueryEndpoints {

    private final ServerState state;

    TaskQueryEndpoints(ServerState state) {
        this.state = state;
    }

    void register(Consumer<Endpoint> out) {
        out.accept(new Endpoint("tasks.get_by_id", "1.0", true, this::getById));
        out.accept(new Endpoint("tasks.get_all", "1.0", true, this::getAll));
        out.accept(new Endpoint("tasks.get_all_ex", "1.0", true, this::getAll));
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
        Pattern name = QueryFilters.regex("name", call.text("name", null));
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
                if (!QueryFilters.tagsMatch(tags, ApiCall.strings(d.get("tags"))) || !QueryFilters.tagsMatch(systemTags, st)) {
                    continue;
                }
                found.add(d);
            }
            List<String> orderBy = call.strings("order_by");
            if (!orderBy.isEmpty()) {
                found.sort(QueryFilters.comparator(orderBy));
            }
            if (pageSize > 0) {
                int from = Math.max(page, 0) * pageSize;
                found = from >= found.size() ? List.of() : new ArrayList<>(found.subList(from, Math.min(found.size(), from + pageSize)));
            }
            ArrayNode out = NODES.arrayNode();
            for (ObjectNode d : found) {
                out.add(onlyFields.isEmpty() ? d.deepCopy() : QueryFilters.project(d, onlyFields));
            }
            ObjectNode data = NODES.objectNode();
            data.set("tasks", out);
            return data;
        }
    }

    private static ObjectNode output(StoredTask t) {
        return t.doc.deepCopy();
    }
}
