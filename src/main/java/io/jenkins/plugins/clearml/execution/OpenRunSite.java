package io.jenkins.plugins.clearml.execution;

import io.jenkins.plugins.clearml.client.Task;
import java.util.ArrayList;
import java.util.List;

/**
 * Opens where the environment is built and the entry point runs (the node itself in venv mode, a container in
 * docker mode), and releases it when the rest of the run is over, however it ends.
 */
final class OpenRunSite implements Step {

    @Override
    public RunOutcome run(ExecutionPlan plan, Chain chain) throws StepFailure, InterruptedException {
        RunContext ctx = chain.context();
        RunSiteFactory factory = plan.request().dockerMode() ? ctx.options().dockerSites() : ctx.options().venvSites();
        if (factory == null) {
            throw new StepFailure("docker mode unavailable",
                    "Docker mode was requested for task " + plan.taskId() + ", but this agent has no container "
                            + "support configured. Run without --docker (venv mode), or use an agent with docker "
                            + "mode enabled.");
        }
        SiteContext site = new SiteContext(ctx.node(), plan.task(), plan.request(), plan.runDir(), mountDirs(ctx, plan),
                plan.secrets(), plan.environment(), ctx.log()::info);
        RunSite opened;
        try {
            opened = factory.open(site);
        } catch (RunSiteException e) {
            throw new StepFailure(e.statusReason(), e.getMessage(), e);
        }
        try {
            ctx.log().info("Running on " + opened.describe());
            return chain.proceed(plan.withSite(opened));
        } finally {
            opened.close();
        }
    }

    private static List<String> mountDirs(RunContext ctx, ExecutionPlan plan) {
        List<String> dirs = new ArrayList<>();
        dirs.add(plan.runDir());
        add(dirs, ctx.config().python() == null ? null : ctx.config().python().venvsDir());
        add(dirs, ctx.config().python() == null ? null : ctx.config().python().venvsCacheDir());
        add(dirs, ctx.config().git() == null ? null : ctx.config().git().vcsCacheDir());
        add(dirs, ctx.config().docker() == null ? null : ctx.config().docker().pipCacheDir());
        return dirs;
    }

    private static void add(List<String> dirs, String dir) {
        if (dir != null && !dir.isBlank() && !dirs.contains(dir)) {
            dirs.add(dir);
        }
    }

    /** The image name the venv cache key depends on in docker mode. */
    static String imageOf(ExecutionPlan plan, RunContext ctx) {
        if (!plan.request().dockerMode()) {
            return "";
        }
        String requested = plan.request().container().image();
        if (requested != null && !requested.isBlank()) {
            return requested;
        }
        Task task = plan.task();
        if (task.container().hasImage()) {
            return task.container().image();
        }
        return ctx.config().docker() == null ? "" : ctx.config().docker().defaultImage();
    }
}
