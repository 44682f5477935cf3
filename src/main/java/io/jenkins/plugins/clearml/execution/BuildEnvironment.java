package io.jenkins.plugins.clearml.execution;

import io.jenkins.plugins.clearml.python.EnvironmentException;
import io.jenkins.plugins.clearml.python.PythonEnvironment;
import io.jenkins.plugins.clearml.python.PythonEnvironmentBuilder;
import io.jenkins.plugins.clearml.python.PythonSettings;
import io.jenkins.plugins.clearml.python.SkipInstall;

/**
 * Builds (or leases from the cache) the task's Python environment at the run site, and frees it when the rest of
 * the run is over.
 */
final class BuildEnvironment implements Step {

    @Override
    public RunOutcome run(ExecutionPlan plan, Chain chain) throws StepFailure, InterruptedException {
        RunContext ctx = chain.context();
        SkipInstall skip = SkipInstall.of(plan.site().variables(SkipInstall.VARIABLES));
        try (PythonEnvironmentBuilder builder = new PythonEnvironmentBuilder(plan.site().processes(),
                ctx.node().files(), pythonSettings(plan, ctx), ctx.log()::info).withSkipInstall(skip)) {
            PythonEnvironment python;
            try {
                python = builder.build(plan.task().script(), plan.code(), OpenRunSite.imageOf(plan, ctx));
            } catch (EnvironmentException e) {
                throw new StepFailure(e.statusReason(), e.getMessage(), e);
            }
            return chain.proceed(plan.withPython(python));
        }
    }

    /**
     * In docker mode the interpreter is searched inside the image, as the real agent does (it empties
     * {@code agent.python_binary} for the container): the node's configured path need not exist there.
     */
    private static PythonSettings pythonSettings(ExecutionPlan plan, RunContext ctx) {
        PythonSettings s = ctx.config().python();
        if (s == null || !plan.request().dockerMode()) {
            return s;
        }
        return new PythonSettings("", s.venvsDir(), s.venvsCacheDir(), s.venvsCacheMaxEntries(), s.extraIndexUrls(),
                s.extraPipInstallFlags(), s.systemSitePackages());
    }
}
