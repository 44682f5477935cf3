package io.jenkins.plugins.clearml.execution;

import io.jenkins.plugins.clearml.client.MachineStats;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * How a {@link TaskExecutor} runs tasks, beyond {@code AgentConfig}.
 *
 * @param dockerSites   opens containers for docker mode; {@code null}: docker mode is refused with a clear message
 * @param venvSites     opens the site of venv mode (the node itself)
 * @param machineStats  sampled for each {@code workers.status_report}; {@code null} sends none
 * @param workspaceRoot folder on the node under which each run gets {@code <taskId>/}; {@code null}:
 *                      {@code ~/.clearml/workspaces}
 * @param spillDir      local folder for the log spill file; {@code null}: the JVM's temporary folder
 * @param logLevel      {@code CLEARML_LOG_LEVEL} given to the task
 * @param keepRunDir    keep the run's folder after the run (for debugging); otherwise it is deleted
 */
public record ExecutorOptions(
        RunSiteFactory dockerSites,
        RunSiteFactory venvSites,
        Supplier<MachineStats> machineStats,
        String workspaceRoot,
        Path spillDir,
        String logLevel,
        boolean keepRunDir) {

    public static ExecutorOptions defaults() {
        return new ExecutorOptions(null, HostSite.FACTORY, null, null, null, "INFO", false);
    }

    public ExecutorOptions withDockerSites(RunSiteFactory factory) {
        return new ExecutorOptions(factory, venvSites, machineStats, workspaceRoot, spillDir, logLevel, keepRunDir);
    }

    public ExecutorOptions withVenvSites(RunSiteFactory factory) {
        return new ExecutorOptions(dockerSites, factory, machineStats, workspaceRoot, spillDir, logLevel, keepRunDir);
    }

    public ExecutorOptions withMachineStats(Supplier<MachineStats> stats) {
        return new ExecutorOptions(dockerSites, venvSites, stats, workspaceRoot, spillDir, logLevel, keepRunDir);
    }

    public ExecutorOptions withWorkspaceRoot(String root) {
        return new ExecutorOptions(dockerSites, venvSites, machineStats, root, spillDir, logLevel, keepRunDir);
    }

    public ExecutorOptions withSpillDir(Path dir) {
        return new ExecutorOptions(dockerSites, venvSites, machineStats, workspaceRoot, dir, logLevel, keepRunDir);
    }

    public ExecutorOptions withLogLevel(String level) {
        return new ExecutorOptions(dockerSites, venvSites, machineStats, workspaceRoot, spillDir,
                level == null || level.isBlank() ? "INFO" : level, keepRunDir);
    }

    public ExecutorOptions withKeepRunDir(boolean keep) {
        return new ExecutorOptions(dockerSites, venvSites, machineStats, workspaceRoot, spillDir, logLevel, keep);
    }
}
