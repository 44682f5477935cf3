package io.jenkins.plugins.clearml.client;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Typed calls to a ClearML API server (POST {@code {api}/v2.x/{service}.{action}}), as the real agent makes them.
 * Thread-safe; one instance per server and worker id. Every failure is a {@link ClearMLException} whose message
 * names the call and, for the server's refusals, its result code, subcode and message.
 */
public class ClearMLClient implements AutoCloseable {

    private final ClientSettings settings;

    public ClearMLClient(ClientSettings settings) {
        this.settings = settings;
    }

    public ClientSettings settings() {
        return settings;
    }

    // ---- auth ------------------------------------------------------------------------------------------------

    /** {@code auth.login} with the access key and secret; the token is kept and renewed on 401. */
    public void login() throws ClearMLException {
        throw new UnsupportedOperationException("not implemented yet");
    }

    // ---- tasks -----------------------------------------------------------------------------------------------

    /** {@code tasks.get_by_id}. */
    public Task getTask(String taskId) throws ClearMLException {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** {@code tasks.get_all} with {@code only_fields=[status,status_message,status_reason]}; empty if no such task. */
    public Optional<TaskState> getTaskState(String taskId) throws ClearMLException {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** {@code tasks.create}; returns the new id (used by the demo, tests and tools). */
    public String createTask(Map<String, Object> fields) throws ClearMLException {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** {@code tasks.enqueue}; {@code queueId} null means the default queue. */
    public void enqueue(String taskId, String queueId, String statusReason) throws ClearMLException {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** {@code tasks.dequeue} with {@code new_status}; returns {@code data.updated} (1 if the task really was queued). */
    public int dequeue(String taskId, TaskStatus newStatus) throws ClearMLException {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** {@code tasks.started}. */
    public void started(String taskId, String statusReason, String statusMessage, boolean force) throws ClearMLException {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** {@code tasks.completed}. */
    public void completed(String taskId, String statusReason, String statusMessage) throws ClearMLException {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** {@code tasks.stopped}. */
    public void stopped(String taskId, String statusReason, String statusMessage, boolean force) throws ClearMLException {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** {@code tasks.failed}. */
    public void failed(String taskId, String statusReason, String statusMessage, boolean force) throws ClearMLException {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** {@code tasks.stop} (what the web UI's Abort sends). */
    public void stop(String taskId, String statusReason, boolean force) throws ClearMLException {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** {@code tasks.update} with a status message only (e.g. why a task waits for a node). */
    public void updateStatusMessage(String taskId, String statusMessage) throws ClearMLException {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** {@code tasks.ping}. */
    public void ping(String taskId) throws ClearMLException {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** {@code tasks.set_requirements}. */
    public void setRequirements(String taskId, Map<String, Object> requirements) throws ClearMLException {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** {@code tasks.edit} with {@code force: true}; {@code fields} e.g. {@code {"script": {"version_num": sha}}}. */
    public void edit(String taskId, Map<String, Object> fields) throws ClearMLException {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** {@code tasks.get_hyper_params}: section → name → value. */
    public Map<String, Map<String, String>> getHyperParams(String taskId) throws ClearMLException {
        throw new UnsupportedOperationException("not implemented yet");
    }

    // ---- queues ----------------------------------------------------------------------------------------------

    /** {@code queues.get_all} by exact name (case-insensitive), as the agent resolves {@code --queue}. */
    public Optional<QueueInfo> findQueueByName(String name) throws ClearMLException {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** {@code queues.get_all} with {@code id=[...]}: metadata and waiting task ids of several queues in one call. */
    public List<QueueInfo> getQueues(List<String> queueIds) throws ClearMLException {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** {@code queues.get_default}. */
    public QueueInfo getDefaultQueue() throws ClearMLException {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** {@code queues.create}; returns the id. */
    public String createQueue(String name) throws ClearMLException {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** {@code queues.get_next_task}: pops the head of the queue; empty when the queue is empty. */
    public Optional<String> getNextTask(String queueId) throws ClearMLException {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** {@code queues.add_task} then {@code queues.move_task_to_front}: puts a task back at the head of its queue. */
    public void returnToFront(String queueId, String taskId) throws ClearMLException {
        throw new UnsupportedOperationException("not implemented yet");
    }

    // ---- workers ---------------------------------------------------------------------------------------------

    /** {@code workers.register}. */
    public void registerWorker(String workerId, List<String> queueIds, int timeoutSeconds) throws ClearMLException {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** {@code workers.unregister}. */
    public void unregisterWorker(String workerId) throws ClearMLException {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** {@code workers.status_report}. */
    public void statusReport(StatusReport report) throws ClearMLException {
        throw new UnsupportedOperationException("not implemented yet");
    }

    // ---- events ----------------------------------------------------------------------------------------------

    /** {@code events.add_batch} as JSON lines; returns {@code data.added}. */
    public int addLogEvents(List<LogEvent> events) throws ClearMLException {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** {@code events.add_batch} with scalar events (machine monitoring series). */
    public int addScalarEvents(List<ScalarEvent> events) throws ClearMLException {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** {@code events.get_task_log}, oldest first: the {@code msg} of every log event (tests, demo). */
    public List<String> getTaskLog(String taskId) throws ClearMLException {
        throw new UnsupportedOperationException("not implemented yet");
    }

    @Override
    public void close() {
        // releases the HTTP connection pool
    }
}
