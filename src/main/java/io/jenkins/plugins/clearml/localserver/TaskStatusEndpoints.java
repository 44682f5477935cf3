package io.jenkins.plugins.clearml.localserver;

import static io.jenkins.plugins.clearml.localserver.ServerState.NODES;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.clearml.localserver.ServerState.StoredQueue;
import io.jenkins.plugins.clearml.localserver.ServerState.StoredTask;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

/**
 * The task lifecycle with the server's status transitions: enqueue and dequeue, started, stopped, failed, close,
 * completed, stop, publish, reset and delete.
 */
final class TaskStatusEndpoints {

    private final ServerState state;

    TaskStatusEndpoints(ServerState state) {
        this.state = state;
    }

    void register(Consumer<Endpoint> out) {
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
    }

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
            TaskRules.checkStatusValue("new_status", newStatus);
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
}
