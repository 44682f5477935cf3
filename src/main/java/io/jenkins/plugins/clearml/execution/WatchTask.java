package io.jenkins.plugins.clearml.execution;

/** Keeps the task bound to this worker (status reports, pings) and watches for an abort while the rest runs. */
final class WatchTask implements Step {

    @Override
    public RunOutcome run(ExecutionPlan plan, Chain chain) throws StepFailure, InterruptedException {
        try (TaskWatcher watcher = new TaskWatcher(chain.context(), plan)) {
            watcher.start();
            return chain.proceed(plan);
        }
    }
}
