package io.jenkins.plugins.clearml.localserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.clearml.localserver.LocalClearMLServer.LogEntry;
import io.jenkins.plugins.clearml.localserver.LocalClearMLServer.ScalarSample;
import io.jenkins.plugins.clearml.localserver.LocalClearMLServer.TaskSnapshot;
import io.jenkins.plugins.clearml.localserver.LocalClearMLServer.WorkerSnapshot;
import io.jenkins.plugins.clearml.localserver.ServerState.StoredQueue;
import io.jenkins.plugins.clearml.localserver.ServerState.StoredTask;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The test-facing side of the server state: seeding tasks and queues directly and reading tasks, queues, events and
 * workers back as plain values, each under the state's lock.
 */
final class StateView {

    private final ServerState state;
    private final TaskCreation taskCreation;

    StateView(ServerState state, TaskCreation taskCreation) {
        this.state = state;
        this.taskCreation = taskCreation;
    }

    /** Creates a task as {@code tasks.create} would ({@code fields} as in its request; type defaults to training). */
    String createTask(String name, Map<String, ?> fields) {
        ObjectNode f = fields == null ? ServerState.NODES.objectNode() : ServerState.STRICT_JSON.valueToTree(fields);
        synchronized (state) {
            return taskCreation.newTask(name, f.path("type").asText("training"), f).id;
        }
    }

    /** Creates a queue; returns its id. */
    String createQueue(String name) {
        synchronized (state) {
            return state.createQueue(name, List.of(), List.of()).id;
        }
    }

    String defaultQueueId() {
        synchronized (state) {
            return state.defaultQueue().id;
        }
    }

    /** A task's status, reason, message and the other fields tests look at; null if there is no such task. */
    TaskSnapshot task(String taskId) {
        synchronized (state) {
            StoredTask t = state.tasks.get(taskId);
            if (t == null) {
                return null;
            }
            JsonNode d = t.doc;
            return new TaskSnapshot(t.id, d.path("name").asText(), d.path("status").asText(),
                    d.path("status_reason").asText(""), d.path("status_message").asText(""),
                    d.path("last_worker").asText(""), d.path("execution").path("queue").asText(""),
                    d.path("last_iteration").asLong());
        }
    }

    /** The whole task document as {@code tasks.get_by_id} returns it; null if there is no such task. */
    @SuppressWarnings("unchecked")
    Map<String, Object> taskJson(String taskId) {
        synchronized (state) {
            StoredTask t = state.tasks.get(taskId);
            return t == null ? null : ServerState.STRICT_JSON.convertValue(t.doc, Map.class);
        }
    }

    int taskCount() {
        synchronized (state) {
            return state.tasks.size();
        }
    }

    /** Task ids waiting in a queue, head first. */
    List<String> queueTaskIds(String queueId) {
        synchronized (state) {
            StoredQueue q = state.queues.get(queueId);
            return q == null ? List.of() : List.copyOf(q.entries.keySet());
        }
    }

    /** The task's log events in timestamp order (arrival order among equal timestamps). */
    List<LogEntry> logEvents(String taskId) {
        List<ServerState.LogRecord> records;
        synchronized (state) {
            records = state.logsSnapshot(taskId);
        }
        List<LogEntry> out = new ArrayList<>(records.size());
        for (ServerState.LogRecord r : records) {
            out.add(new LogEntry(r.timestamp(), r.level(), r.worker(), r.msg()));
        }
        return out;
    }

    /**
     * The task's console as lines, in order: every event's {@code msg} split at new lines (a final new line does not
     * make an extra empty line; an empty {@code msg} is one empty line).
     */
    List<String> logLines(String taskId) {
        List<ServerState.LogRecord> records;
        synchronized (state) {
            records = state.logsSnapshot(taskId);
        }
        List<String> lines = new ArrayList<>();
        for (ServerState.LogRecord r : records) {
            String msg = r.msg();
            if (msg.isEmpty()) {
                lines.add("");
                continue;
            }
            int start = 0;
            while (start < msg.length()) {
                int nl = msg.indexOf('\n', start);
                if (nl < 0) {
                    lines.add(msg.substring(start));
                    break;
                }
                lines.add(msg.substring(start, nl));
                start = nl + 1;
            }
        }
        return lines;
    }

    /** How many log events the task has. */
    int logEventCount(String taskId) {
        synchronized (state) {
            ServerState.TaskEvents e = state.events.get(taskId);
            return e == null ? 0 : e.logs.size();
        }
    }

    /** The task's scalar events (the latest per iteration, metric and variant), in arrival order. */
    List<ScalarSample> scalarEvents(String taskId) {
        synchronized (state) {
            ServerState.TaskEvents e = state.events.get(taskId);
            List<ScalarSample> out = new ArrayList<>();
            if (e != null) {
                e.scalars.values().forEach(s -> out.add(new ScalarSample(s.metric(), s.variant(), s.iter(), s.value(),
                        s.timestamp(), s.worker())));
            }
            return out;
        }
    }

    /** Registered workers whose timeout has not passed. */
    List<WorkerSnapshot> workers() {
        synchronized (state) {
            state.expireWorkers();
            List<WorkerSnapshot> out = new ArrayList<>();
            state.workers.values().forEach(w -> out.add(new WorkerSnapshot(w.id, w.queues, w.task, w.timeoutSeconds,
                    w.machineStats == null ? Map.of() : ServerState.STRICT_JSON.convertValue(w.machineStats, Map.class))));
            return out;
        }
    }
}
