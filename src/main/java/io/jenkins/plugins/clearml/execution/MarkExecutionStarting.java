package io.jenkins.plugins.clearml.execution;

import io.jenkins.plugins.clearml.client.ClearMLException;

/** {@code tasks.started} "worker starting task execution", just before the entry point runs. */
final class MarkExecutionStarting implements Step {

    @Override
    public RunOutcome run(ExecutionPlan plan, Chain chain) throws StepFailure, InterruptedException {
        RunContext ctx = chain.context();
        try {
            ctx.client().started(plan.taskId(), "worker starting task execution", ctx.statusMessage(plan), true);
        } catch (ClearMLException e) {
            throw ServerFailures.describe(e, ctx.config().endpoint().apiUrl(), plan.taskId(),
                    "marking the task's execution started");
        }
        return chain.proceed(plan);
    }
}
