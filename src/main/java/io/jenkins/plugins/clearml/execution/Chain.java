package io.jenkins.plugins.clearml.execution;

import java.util.List;

/**
 * The rest of the sequence after a step, in the manner of OkHttp's interceptor chain. Before each step it checks
 * whether the run was stopped, so that an abort between steps ends the run at once.
 */
final class Chain {

    private final List<Step> steps;
    private final int index;
    private final RunContext context;

    Chain(List<Step> steps, int index, RunContext context) {
        this.steps = List.copyOf(steps);
        this.index = index;
        this.context = context;
    }

    RunContext context() {
        return context;
    }

    RunOutcome proceed(ExecutionPlan plan) throws StepFailure, InterruptedException {
        if (index >= steps.size()) {
            throw new IllegalStateException("the last step must not call proceed()");
        }
        if (context.control().isStopped()) {
            throw new InterruptedException("run stopped before " + steps.get(index).getClass().getSimpleName());
        }
        return steps.get(index).run(plan, new Chain(steps, index + 1, context));
    }
}
