package io.jenkins.plugins.clearml.execution;

import io.jenkins.plugins.clearml.client.ClearMLException;
import java.util.Map;

/** Records the commit that was run ({@code tasks.edit} {@code script.version_num}) when the task named none. */
final class RecordCommit implements Step {

    @Override
    public RunOutcome run(ExecutionPlan plan, Chain chain) throws StepFailure, InterruptedException {
        RunContext ctx = chain.context();
        String recorded = plan.task().script() == null ? null : plan.task().script().versionNum();
        String head = plan.code().headCommit();
        if ((recorded == null || recorded.isBlank()) && plan.code().hasRepository() && head != null && !head.isBlank()) {
            try {
                ctx.client().edit(plan.taskId(), Map.of("script", Map.of("version_num", head)));
            } catch (ClearMLException e) {
                ctx.log().warning("Could not record commit " + head + " on the task (" + e.getMessage()
                        + "); the run goes on.");
            }
        }
        return chain.proceed(plan);
    }
}
