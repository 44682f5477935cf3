package io.jenkins.plugins.clearml.execution;

import io.jenkins.plugins.clearml.python.EnvironmentException;
import io.jenkins.plugins.clearml.python.PythonEnvironment;
import io.jenkins.plugins.clearml.python.PythonEnvironmentBuilder;

/**
 * Builds (or leases from the cache) the task's Python environment at the run site, and frees it when the rest of
 * the run is over.
 */
final class BuildEnvironment implements Step {

    @Override
    public RunOutcome run(ExecutionPlan plan, Chain chain) throws StepFailure, InterruptedException {
        RunContext ctx = chain.context();
        try (PythonEnvironmentBuilder builder = new PythonEnvironmentBuilder(plan.site().processes(),
                ctx.node().files(), ctx.config().python(), ctx.log()::info)) {
            PythonEnvironment python;
            try {
                python = builder.build(plan.task().script(), plan.code(), OpenRunSite.imageOf(plan, ctx));
            } catch (EnvironmentException e) {
                throw new StepFailure(e.statusReason(), e.getMessage(), e);
            }
            return chain.proceed(plan.withPython(python));
        }
    }
}
