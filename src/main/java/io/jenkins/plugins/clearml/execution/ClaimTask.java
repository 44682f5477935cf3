package io.jenkins.plugins.clearml.execution;

import io.jenkins.plugins.clearml.client.ClearMLException;
import io.jenkins.plugins.clearml.client.Task;
import io.jenkins.plugins.clearml.client.TaskStatus;

/**
 * Marks the task started as the real agent's {@code execute} does: {@code tasks.dequeue} with
 * {@code new_status: in_progress}, then, if it really was queued, {@code tasks.started} "starting execution soon";
 * then {@code tasks.started} "worker started execution". Refuses published tasks, and tasks no longer queued when the
 * request requires a queued one.
 */
final class ClaimTask implements Step {

    @Override
    public RunOutcome run(ExecutionPlan plan, Chain chain) throws StepFailure, InterruptedException {
        RunContext ctx = chain.context();
        Task task = plan.task();
        String id = plan.taskId();
        String api = ctx.config().endpoint().apiUrl();
        if (task.status() == TaskStatus.PUBLISHED || task.status() == TaskStatus.PUBLISHING) {
            throw StepFailure.leavingTaskAsIs("published task cannot be started",
                    "Task " + id + " ('" + task.name() + "') is " + task.status().wireName() + ", and published tasks "
                            + "are read-only. Clone it in the ClearML web UI (right-click > Clone) and run the clone.");
        }
        ctx.log().info("Running task '" + id + "' ('" + task.name() + "') as worker " + plan.workerId());
        try {
            int dequeued = dequeue(ctx, task);
            if (plan.request().requireQueued() && dequeued < 1) {
                throw StepFailure.leavingTaskAsIs("task not queued",
                        "Execution requires a queued task, but task " + id + " is not queued (status "
                                + task.status().wireName() + "): it was dequeued, aborted or started elsewhere. "
                                + "Enqueue it again to run it.");
            }
            if (dequeued >= 1) {
                ctx.client().started(id, "starting execution soon", "", true);
            }
            ctx.client().started(id, "worker started execution", ctx.statusMessage(plan), true);
        } catch (ClearMLException e) {
            if (e.isInvalidTaskStatus()) {
                throw new StepFailure("task cannot be started",
                        "The ClearML server refused to start task " + id + " (status " + task.status().wireName()
                                + "): " + e.getMessage() + ". Reset or clone the task in the web UI and run it again.",
                        e);
            }
            throw ServerFailures.describe(e, api, id, "marking the task started");
        }
        return chain.proceed(plan);
    }

    /**
     * {@code tasks.dequeue} with {@code new_status: in_progress}; 0 when the task was not queued (the server answers
     * a task without a queue with 400/11, which means the same here).
     */
    private static int dequeue(RunContext ctx, Task task) throws ClearMLException {
        if (task.status() != TaskStatus.QUEUED) {
            return 0;
        }
        try {
            return ctx.client().dequeue(task.id(), TaskStatus.IN_PROGRESS);
        } catch (ClearMLException e) {
            if (e.resultCode() == 400 && !e.isTaskNotFound()) {
                return 0;
            }
            throw e;
        }
    }
}
