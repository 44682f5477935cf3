package io.jenkins.plugins.clearml.execution;

import io.jenkins.plugins.clearml.client.MachineStats;
import io.jenkins.plugins.clearml.metrics.MetricsSettings;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * How a {@link TaskExecutor} runs tasks, beyond {@code AgentConfig}.
 *
 * @param dockerSites   opens containers for docker mode; {@code null}: docker mode is refused with a clear message
 * @param venvSites     opens the site of venv mode (the node itself)
 * @param machineStats  sampled for each {@code workers.status_report} instead of the run's own monitor (a daemon
 *                      that already watches its node); {@code null}: the run's monitor, if any, supplies them
 * @param monitoring    how each run watches its node (machine stats in status reports, the SDK's
 *                      {@code :monitor:*} scalars on the task); {@code null}: no monitoring
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
        boolean keepRunDir,
        MetricsSettings monitoring) {

    public static ExecutorOptions defaults() {
        return new ExecutorOptions(null, HostSite.FACTORY, null, null, null, "INFO", false,
                MetricsSettings.defaults());
    }

    public ExecutorOptions withDockerSites(RunSiteFactory factory) {
        return new ExecutorOptions(factory, venvSites, machineStats, workspaceRoot, spillDir, logLevel, keepRunDir,
                monitoring);
    }

    public ExecutorOptions withVenvSites(RunSiteFactory factory) {
        return new ExecutorOptions(dockerSites, factory, machineStats, workspaceRoot, spillDir, logLevel, keepRunDir,
                monitoring);
    }

    public ExecutorOptions withMachineStats(Supplier<MachineStats> stats) {
        return new ExecutorOptions(dockerSites, venvSites, stats, workspaceRoot, spillDir, logLevel, keepRunDir,
                monitoring);
    }

    public ExecutorOptions withWorkspaceRoot(String root) {
        return new ExecutorOptions(dockerSites, venvSites, machineStats, root, spillDir, logLevel, keepRunDir,
                monitoring);
    }

    public ExecutorOptions withSpillDir(Path dir) {
        return new ExecutorOptions(dockerSites, venvSites, machineStats, workspaceRoot, dir, logLevel, keepRunDir,
                monitoring);
    }

    public ExecutorOptions withLogLevel(String level) {
        return new ExecutorOptions(dockerSites, venvSites, machineStats, workspaceRoot, spillDir,
                level == null || level.isBlank() ? "INFO" : level, keepRunDir, monitoring);
    }

    public ExecutorOptions withKeepRunDir(boolean keep) {
        return new ExecutorOptions(dockerSites, venvSites, machineStats, workspaceRoot, spillDir, logLevel, keep,
                monitoring);
    }

    public ExecutorOptions withMonitoring(MetricsSettings settings) {
        return new ExecutorOptions(dockerSites, venvSites, machineStats, workspaceRoot, spillDir, logLevel, keepRunDir,
                settings);
    }
}
