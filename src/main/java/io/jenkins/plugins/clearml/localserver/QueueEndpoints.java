package io.jenkins.plugins.clearml.localserver;

import static io.jenkins.plugins.clearml.localserver.ServerState.NODES;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.clearml.localserver.ServerState.StoredQueue;
import io.jenkins.plugins.clearml.localserver.ServerState.StoredTask;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/** {@code queues.*}: FIFO queues of task ids with an atomic pop. */
final class QueueEndpoints {

    private final ServerState state;

    QueueEndpoints(ServerState state) {
        this.state = state;
    }

    void register(Consumer<Endpoint> out) {
        out.accept(new Endpoint("queues.get_all", "2.4", true, this::getAll));
        out.accept(new Endpoint("queues.get_all_ex", "2.4", true, this::getAll));
        out.accept(new Endpoint("queues.get_by_id", "2.4", true, this::getById));
        out.accept(new Endpoint("queues.get_default", "2.4", true, this::getDefault));
        out.accept(new Endpoint("queues.create", "2.4", true, this::create));
        out.accept(new Endpoint("queues.delete", "2.4", true, this::delete));
        out.accept(new Endpoint("queues.get_next_task", "1.0", true, this::getNextTask));
        out.accept(new Endpoint("queues.add_task", "2.4", true, this::addTask));
        out.accept(new Endpoint("queues.remove_task", "2.4", true, this::removeTask));
        out.accept(new Endpoint("queues.move_task_to_front", "2.4", true, c -> move(c, true)));
        out.accept(new Endpoint("queues.move_task_to_back", "2.4", true, c -> move(c, false)));
        out.accept(new Endpoint("queues.get_num_entries", "2.15", true, this::numEntries));
    }

    ObjectNode getAll(ApiCall call) {
        List<String> ids = call.strings("id");
        Pattern name = QueryFilters.regex("name", call.text("name", null));
        List<String> systemTags = call.strings("system_tags");
        List<String> onlyFields = call.strings("only_fields");
        boolean searchHidden = call.bool("search_hidden", false) || !ids.isEmpty() || name != null;
        ArrayNode out = NODES.arrayNode();
        synchronized (state) {
            for (StoredQueue q : state.queues.values()) {
                if (!ids.isEmpty() && !ids.contains(q.id)) {
                    continue;
                }
                if (name != null && !name.matcher(q.name).find()) {
                    continue;
                }
                if (!searchHidden && q.systemTags.contains("k8s-glue")) {
                    continue;
                }
                boolean tagsOk = true;
                for (String t : systemTags) {
                    tagsOk &= t.startsWith("-") ? !q.systemTags.contains(t.substring(1)) : q.systemTags.contains(t);
                }
                if (!tagsOk) {
                    continue;
                }
                ObjectNode json = q.toJson();
                out.add(onlyFields.isEmpty() ? json : QueryFilters.project(json, onlyFields));
            }
        }
        ObjectNode data = NODES.objectNode();
        data.set("queues", out);
        return data;
    }

    ObjectNode getById(ApiCall call) {
        String id = call.required("queue");
        synchronized (state) {
            return NODES.objectNode().set("queue", state.queue(id).toJson());
        }
    }

    ObjectNode getDefault(ApiCall call) {
        synchronized (state) {
            StoredQueue q = state.defaultQueue();
            return NODES.objectNode().put("id", q.id).put("name", q.name);
        }
    }

    ObjectNode create(ApiCall call) {
        String name = call.body.path("name").asText("");
        if (name.isEmpty()) {
            throw ApiError.validation("name");
        }
        synchronized (state) {
            StoredQueue q = state.createQueue(name, call.strings("tags"), call.strings("system_tags"));
            return NODES.objectNode().put("id", q.id);
        }
    }

    ObjectNode delete(ApiCall call) {
        String id = call.required("queue");
        synchronized (state) {
            StoredQueue q = state.queue(id);
            if (!q.entries.isEmpty() && !call.bool("force", false)) {
                throw ApiError.of(400, 702, "queue is not empty", null, "queue", id);
            }
            state.queues.remove(id);
            return NODES.objectNode().put("deleted", 1);
        }
    }

    ObjectNode getNextTask(ApiCall call) {
        String id = call.required("queue");
        String onlyTask = call.text("task", null);
        synchronized (state) {
            StoredQueue q = state.queue(id);
            Iterator<Map.Entry<String, Instant>> it = q.entries.entrySet().iterator();
            if (!it.hasNext()) {
                return NODES.objectNode();
            }
            Map.Entry<String, Instant> head = it.next();
            if (onlyTask != null && !onlyTask.isEmpty() && !onlyTask.equals(head.getKey())) {
                return NODES.objectNode();
            }
            it.remove();
            q.lastUpdate = state.now();
            StoredTask t = state.tasks.get(head.getKey());
            if (t != null && "stopped".equals(t.status())) {
                // a race with an abort: the real server puts such a task back to queued
                state.changeStatus(t, "queued", "", "", true);
            }
            ObjectNode data = NODES.objectNode();
            data.putObject("entry").put("task", head.getKey()).put("added", Dates.iso(head.getValue()));
            if (call.bool("get_task_info", false)) {
                data.putObject("task_info").put("company", LocalClearMLServer.COMPANY_ID).put("user",
                        LocalClearMLServer.USER_ID);
            }
            return data;
        }
    }

    ObjectNode addTask(ApiCall call) {
        String id = call.required("queue");
        String task = call.required("task");
        synchronized (state) {
            StoredQueue q = state.queue(id);
            StoredTask t = state.task(task);
            if (q.entries.containsKey(task)) {
                throw ApiError.of(400, 706, "failed adding task to queue since task is already queued", null,
                        "task", task, "queue", id);
            }
            q.entries.put(task, state.now());
            q.lastUpdate = state.now();
            if (call.bool("update_execution_queue", true)) {
                ServerState.child(t.doc, "execution").put("queue", id);
            }
            return NODES.objectNode().put("added", 1);
        }
    }

    ObjectNode removeTask(ApiCall call) {
        String id = call.required("queue");
        String task = call.required("task");
        synchronized (state) {
            StoredQueue q = state.queue(id);
            if (q.entries.remove(task) == null) {
                throw notQueued(id, task);
            }
            q.lastUpdate = state.now();
            StoredTask t = state.tasks.get(task);
            if (t != null && call.bool("update_task_status", false) && "queued".equals(t.status())) {
                state.changeStatus(t, t.enqueueStatus == null ? "created" : t.enqueueStatus, "", "", true);
                t.enqueueStatus = null;
            }
            return NODES.objectNode().put("removed", 1);
        }
    }

    ObjectNode move(ApiCall call, boolean toFront) {
        String id = call.required("queue");
        String task = call.required("task");
        synchronized (state) {
            StoredQueue q = state.queue(id);
            Instant added = q.entries.remove(task);
            if (added == null) {
                throw notQueued(id, task);
            }
            if (toFront) {
                LinkedHashMap<String, Instant> reordered = new LinkedHashMap<>();
                reordered.put(task, added);
                reordered.putAll(q.entries);
                q.entries = reordered;
            } else {
                q.entries.put(task, added);
            }
            q.lastUpdate = state.now();
            int position = 0;
            for (String t : q.entries.keySet()) {
                if (t.equals(task)) {
                    break;
                }
                position++;
            }
            return NODES.objectNode().put("position", position);
        }
    }

    ObjectNode numEntries(ApiCall call) {
        String id = call.required("queue");
        synchronized (state) {
            return NODES.objectNode().put("num", state.queue(id).entries.size());
        }
    }

    private static ApiError notQueued(String queue, String task) {
        return ApiError.of(400, 703, "invalid queue id or task not in queue", null, "queue", queue, "task", task);
    }
}
