package io.jenkins.plugins.clearml.execution;

import io.jenkins.plugins.clearml.vcs.PreparedCode;
import io.jenkins.plugins.clearml.vcs.RepositoryPreparer;
import io.jenkins.plugins.clearml.vcs.VcsException;
import java.io.IOException;

/** Brings the task's code into {@code <runDir>/code}: clone at the recorded commit, apply the recorded diff. */
final class PrepareCode implements Step {

    @Override
    public RunOutcome run(ExecutionPlan plan, Chain chain) throws StepFailure, InterruptedException {
        RunContext ctx = chain.context();
        String codeDir = ctx.node().files().resolve(plan.runDir(), "code");
        try {
            ctx.node().files().createDirectories(plan.runDir());
        } catch (IOException e) {
            throw new StepFailure("cannot create workspace", "Could not create the run folder " + plan.runDir()
                    + " on " + ctx.node().hostName() + " (" + e.getMessage() + "): check that the agent's user can "
                    + "write there and that the disk is not full.", e);
        }
        PreparedCode code;
        try {
            code = new RepositoryPreparer(ctx.node(), ctx.config().git(), ctx.log()::info)
                    .prepare(plan.task().script(), codeDir);
        } catch (VcsException e) {
            throw new StepFailure(e.statusReason(), e.getMessage(), e);
        }
        return chain.proceed(plan.withCode(code));
    }
}
