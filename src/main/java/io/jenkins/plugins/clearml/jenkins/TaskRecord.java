package io.jenkins.plugins.clearml.jenkins;

import io.jenkins.plugins.clearml.client.TaskStatus;
import io.jenkins.plugins.clearml.metrics.GpuRunSummary;
import io.jenkins.plugins.clearml.metrics.UtilizationChartSvg;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * One ClearML task a build ran: what the build page shows about it. Immutable; a run's end is recorded by replacing
 * the record. Plain fields rather than a record, because XStream (build.xml) cannot restore records.
 */
public final class TaskRecord implements Serializable {

    private static final long serialVersionUID = 1L;

    private final String taskId;
    private final String name;
    private final String server;
    private final String status;
    private final String reason;
    private final String url;
    private final long startedAtMillis;
    private final long durationMillis;
    private final List<GpuUsageRecord> gpuUsage;
    private final String gpuChartSvg;

    public TaskRecord(String taskId, String name, String server, String status, String reason, String url,
            long startedAtMillis, long durationMillis, List<GpuUsageRecord> gpuUsage) {
        this(taskId, name, server, status, reason, url, startedAtMillis, durationMillis, gpuUsage, null);
    }

    private TaskRecord(String taskId, String name, String server, String status, String reason, String url,
            long startedAtMillis, long durationMillis, List<GpuUsageRecord> gpuUsage, String gpuChartSvg) {
        this.taskId = taskId;
        this.name = name;
        this.server = server;
        this.status = status;
        this.reason = reason;
        this.url = url;
        this.startedAtMillis = startedAtMillis;
        this.durationMillis = durationMillis;
        this.gpuUsage = gpuUsage == null || gpuUsage.isEmpty() ? null : new ArrayList<>(gpuUsage);
        this.gpuChartSvg = gpuChartSvg;
    }

    /** A task that has just started. */
    public static TaskRecord started(String taskId, String name, String server, String url, long startedAtMillis) {
        return new TaskRecord(taskId, name, server, TaskStatus.IN_PROGRESS.wireName(), "", url, startedAtMillis, -1, null);
    }

    /** The same task, ended. */
    public TaskRecord ended(TaskStatus endStatus, String endReason, String endUrl, long endedAtMillis) {
        return new TaskRecord(taskId, name, server, endStatus.wireName(), endReason, endUrl == null ? url : endUrl,
                startedAtMillis, Math.max(0, endedAtMillis - startedAtMillis), gpuUsage, gpuChartSvg);
    }

    /** The same task with its per-GPU samples. */
    public TaskRecord withGpuUsage(List<GpuUsageRecord> usage) {
        return new TaskRecord(taskId, name, server, status, reason, url, startedAtMillis, durationMillis, usage,
                gpuChartSvg);
    }

    /** The same task with the GPU use its node's monitor summed up: a row per GPU and the utilisation chart. */
    public TaskRecord withGpuSummary(GpuRunSummary summary) {
        if (summary == null || summary.isEmpty()) {
            return this;
        }
        List<GpuUsageRecord> usage = summary.gpus().stream().map(g -> GpuUsageRecord.of(summary, g)).toList();
        return new TaskRecord(taskId, name, server, status, reason, url, startedAtMillis, durationMillis, usage,
                UtilizationChartSvg.render(summary));
    }

    /** An inline SVG chart of GPU utilisation over the run, already escaped; {@code null} without GPUs. */
    public String getGpuChartSvg() {
        return gpuChartSvg;
    }

    public String getTaskId() {
        return taskId;
    }

    /** The task's name, or its id when the name is unknown. */
    public String getName() {
        return name == null || name.isBlank() ? taskId : name;
    }

    public String getServer() {
        return server;
    }

    /** The server's name for the status: {@code in_progress}, {@code completed}, {@code failed}, {@code stopped}... */
    public String getStatus() {
        return status;
    }

    public String getReason() {
        return reason == null ? "" : reason;
    }

    /** The task's console page in the ClearML web UI. */
    public String getUrl() {
        return url;
    }

    /** The link for the build page: only an http(s) address, so that no stored value can become a script link. */
    public String getLinkUrl() {
        if (url == null) {
            return null;
        }
        String lower = url.toLowerCase(java.util.Locale.ROOT);
        return lower.startsWith("https://") || lower.startsWith("http://") ? url : null;
    }

    public long getStartedAtMillis() {
        return startedAtMillis;
    }

    /** How long the task ran; -1 while it runs. */
    public long getDurationMillis() {
        return durationMillis;
    }

    public String getDurationText() {
        return durationMillis < 0 ? "running" : Durations.format(durationMillis);
    }

    public boolean isRunning() {
        return durationMillis < 0;
    }

    public boolean isSuccessful() {
        TaskStatus s = TaskStatus.fromWire(status);
        return s == TaskStatus.COMPLETED || s == TaskStatus.PUBLISHED || s == TaskStatus.PUBLISHING;
    }

    /** Per-GPU samples, when they were recorded; empty otherwise. */
    public List<GpuUsageRecord> getGpuUsage() {
        return gpuUsage == null ? List.of() : List.copyOf(gpuUsage);
    }
}
