package io.jenkins.plugins.clearml.execution;

import io.jenkins.plugins.clearml.client.ClearMLException;
import io.jenkins.plugins.clearml.client.MachineStats;
import io.jenkins.plugins.clearml.client.StatusReport;
import io.jenkins.plugins.clearml.client.TaskState;
import io.jenkins.plugins.clearml.client.TaskStatus;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * While a task runs: {@code workers.status_report} with the task (at once, then every 30 s; this is what lets an
 * abort in the UI reach us), {@code tasks.ping} (every 60 s) and, when asked, the abort test every poll interval.
 * Heartbeats and the abort test run on separate threads, so a slow call of one does not delay the other.
 */
final class TaskWatcher implements AutoCloseable {

    private final RunContext ctx;
    private final ExecutionPlan plan;
    private final AbortDecision decision = new AbortDecision();
    private final ScheduledExecutorService heartbeat;
    private final ScheduledExecutorService abortWatch;
    private final AtomicInteger heartbeatFailures = new AtomicInteger();
    private final Supplier<MachineStats> machineStats;

    /** @param machineStats figures for each status report; {@code null} sends reports without them */
    TaskWatcher(RunContext ctx, ExecutionPlan plan, Supplier<MachineStats> machineStats) {
        this.ctx = ctx;
        this.plan = plan;
        this.machineStats = machineStats;
        this.heartbeat = Executors.newSingleThreadScheduledExecutor(daemon("clearml-heartbeat-" + plan.taskId()));
        this.abortWatch = Executors.newSingleThreadScheduledExecutor(daemon("clearml-abort-watch-" + plan.taskId()));
    }

    void start() {
        Duration report = ctx.config().statusReportInterval();
        heartbeat.scheduleWithFixedDelay(() -> statusReport(plan.taskId()), 0, report.toMillis(), TimeUnit.MILLISECONDS);
        Duration ping = ctx.config().pingInterval();
        if (!ping.isZero() && !ping.isNegative()) {
            heartbeat.scheduleWithFixedDelay(this::ping, ping.toMillis(), ping.toMillis(), TimeUnit.MILLISECONDS);
        }
        if (plan.request().watchForAbort()) {
            long poll = ctx.config().pollInterval().toMillis();
            abortWatch.scheduleWithFixedDelay(this::checkAbort, poll, poll, TimeUnit.MILLISECONDS);
        }
    }

    /** Stops watching, then tells the server this worker no longer runs the task. */
    @Override
    public void close() {
        abortWatch.shutdownNow();
        heartbeat.shutdownNow();
        try {
            heartbeat.awaitTermination(2, TimeUnit.SECONDS);
            abortWatch.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        statusReport(null);
    }

    private void statusReport(String task) {
        MachineStats sample = null;
        if (machineStats != null) {
            try {
                sample = machineStats.get();
            } catch (RuntimeException e) {
                // monitoring is best effort: the report without figures still keeps the task bound to us
            }
        }
        try {
            ctx.client().statusReport(new StatusReport(plan.workerId(), System.currentTimeMillis(), task, null, null,
                    sample, null));
            heartbeatFailures.set(0);
        } catch (ClearMLException | RuntimeException e) {
            heartbeatFailed("workers.status_report", e);
        }
    }

    private void ping() {
        try {
            ctx.client().ping(plan.taskId());
            heartbeatFailures.set(0);
        } catch (ClearMLException | RuntimeException e) {
            heartbeatFailed("tasks.ping", e);
        }
    }

    private void heartbeatFailed(String call, Exception e) {
        if (heartbeatFailures.getAndIncrement() == 0) {
            ctx.log().consoleOnly("### " + call + " failed (" + e.getMessage() + "); will keep trying ###");
        }
    }

    private void checkAbort() {
        Optional<TaskState> state;
        try {
            state = ctx.client().getTaskState(plan.taskId());
        } catch (ClearMLException e) {
            if (!e.isTaskNotFound()) {
                return; // the real agent keeps running on any other error
            }
            state = Optional.empty();
        } catch (RuntimeException e) {
            return;
        }
        StopReason stop = decision.next(state);
        if (stop == null) {
            if (state.isPresent() && state.get().status() == TaskStatus.CREATED) {
                ctx.log().warning("### Task " + plan.taskId() + " reads as reset (" + decision.createdReads() + " of "
                        + AbortDecision.CREATED_READS_FOR_RESET + "): it will be stopped if this persists ###");
            }
            return;
        }
        if (stop.kind() != StopReason.Kind.NOT_FOUND) {
            // The SDK may have asked for time to run its abort callback first: then the stop waits (reference 2.9).
            stop = ctx.abortCallback().gate(stop);
            if (stop == null) {
                return;
            }
        }
        String notice = switch (stop.kind()) {
            case USER_ABORT -> "User aborted: stopping task (" + plan.taskId() + ") " + stop.statusReason();
            case STATUS_CHANGED -> "Task status changed to " + stop.observed().wireName() + ": stopping task ("
                    + plan.taskId() + ")";
            case RESET -> "Task was reset: stopping task (" + plan.taskId() + ")";
            case NOT_FOUND -> "Task no longer exists on the server: stopping task (" + plan.taskId() + ")";
            case EXTERNAL_ABORT -> "Aborted: stopping task (" + plan.taskId() + ") " + stop.statusReason();
        };
        if (ctx.control().stop(stop)) {
            ctx.log().error(notice);
            abortWatch.shutdown();
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
