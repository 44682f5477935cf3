package io.jenkins.plugins.clearml.execution;

import io.jenkins.plugins.clearml.client.ClearMLException;
import io.jenkins.plugins.clearml.client.Task;

/** Reads the task record ({@code tasks.get_by_id}). */
final class LoadTask implements Step {

    @Override
    public RunOutcome run(ExecutionPlan plan, Chain chain) throws StepFailure, InterruptedException {
        RunContext ctx = chain.context();
        Task task;
        try {
            task = ctx.client().getTask(plan.taskId());
        } catch (ClearMLException e) {
            throw ServerFailures.describe(e, ctx.config().endpoint().apiUrl(), plan.taskId(), "reading the task");
        }
        if (task == null) {
            throw StepFailure.beforeTask("task not found", "Task " + plan.taskId() + " was not found on the ClearML "
                    + "server at " + ctx.config().endpoint().apiUrl() + ". Check the task id.", null);
        }
        return chain.proceed(plan.withTask(task));
    }
}
