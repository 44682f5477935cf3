package io.jenkins.plugins.clearml.execution;

import io.jenkins.plugins.clearml.client.MachineStats;
import io.jenkins.plugins.clearml.metrics.MetricsSettings;
import io.jenkins.plugins.clearml.metrics.ResourceMonitor;
import io.jenkins.plugins.clearml.metrics.VisibleGpus;
import java.util.function.Supplier;

/**
 * Keeps the task bound to this worker (status reports, pings) and watches for an abort while the rest runs; watches
 * the node too, so that status reports carry machine stats and the task gets the SDK's {@code :monitor:*} scalars.
 */
final class WatchTask implements Step {

    @Override
    public RunOutcome run(ExecutionPlan plan, Chain chain) throws StepFailure, InterruptedException {
        RunContext ctx = chain.context();
        ResourceMonitor monitor = startMonitor(ctx, plan);
        try (ResourceMonitor closedLast = monitor;
                TaskWatcher watcher = new TaskWatcher(ctx, plan, machineStats(ctx, monitor))) {
            watcher.start();
            return chain.proceed(plan);
        } finally {
            if (monitor != null) {
                ctx.control().recordGpuSummary(monitor.gpuSummary());
            }
        }
    }

    private static ResourceMonitor startMonitor(RunContext ctx, ExecutionPlan plan) {
        MetricsSettings settings = ctx.options().monitoring();
        if (settings == null) {
            return null;
        }
        // The run's own GPUs; without an assignment, those visible to the agent, as the real agent reports them.
        VisibleGpus gpus = plan.request().gpus().isEmpty()
                ? VisibleGpus.fromEnvironment(ctx.node().environment())
                : VisibleGpus.parse(String.join(",", plan.request().gpus()));
        return ResourceMonitor.start(ctx.node(), settings.withDiskPath(plan.runDir()), gpus, ctx.client(),
                plan.taskId());
    }

    private static Supplier<MachineStats> machineStats(RunContext ctx, ResourceMonitor monitor) {
        if (ctx.options().machineStats() != null) {
            return ctx.options().machineStats();
        }
        return monitor == null ? null : monitor.machineStats();
    }
}
