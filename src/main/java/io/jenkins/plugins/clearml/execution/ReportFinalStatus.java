package io.jenkins.plugins.clearml.execution;

import io.jenkins.plugins.clearml.client.ClearMLException;
import io.jenkins.plugins.clearml.client.TaskStatus;
import io.jenkins.plugins.clearml.logs.LogForwarder;
import java.time.Duration;

/**
 * Ends every run that got as far as reading its task, as the real agent does (section 2.10): delivers the rest of
 * the log, then {@code tasks.completed} (exit 0), {@code tasks.stopped} (aborted, or exit 130/254),
 * {@code tasks.failed} ("worker execution exit code N", or the failed step's reason) or nothing (someone else
 * changed the status). A server outage delays the report; it is retried until the server is back, within a bound.
 */
final class ReportFinalStatus implements Step {

    /** How long the rest of the log and the final status keep being retried through an outage. */
    static final Duration DELIVERY_WINDOW = Duration.ofMinutes(3);

    @Override
    public RunOutcome run(ExecutionPlan plan, Chain chain) throws InterruptedException {
        RunContext ctx = chain.context();
        RunOutcome outcome = null;
        StepFailure failure = null;
        RuntimeException bug = null;
        try {
            outcome = chain.proceed(plan);
        } catch (StepFailure f) {
            failure = f;
        } catch (InterruptedException e) {
            // a stop interrupted a step: handled below through the stop reason
        } catch (RuntimeException e) {
            bug = e;
        }
        StopReason stopped = ctx.control().enterReporting();
        StopReason seen = stopped == null && outcome != null ? outcome.stop() : stopped;
        if (seen == null && outcome != null) {
            // ended by itself, but maybe as the SDK ends an aborted task after its callback (reference 2.10)
            seen = ctx.abortCallback().endedByAbort(outcome.exitCode());
        }
        final StopReason stop = seen;
        int exitCode = outcome != null ? outcome.exitCode() : 1;
        String message = ctx.statusMessage(plan);
        String id = plan.taskId();
        FinalCall call;
        if (stop != null) {
            if (stop.kind() == StopReason.Kind.USER_ABORT) {
                ctx.log().info("Process aborted by user");
            } else if (stop.kind() == StopReason.Kind.EXTERNAL_ABORT) {
                ctx.log().error("Run aborted: " + stop.statusReason());
            } else {
                ctx.log().info("Run stopped: " + stop.statusReason() + "; the task's status is left as is");
            }
            exitCode = outcome != null && outcome.exitCode() != 0 ? outcome.exitCode() : 1;
            if (stop.kind().marksStopped()) {
                boolean force = stop.kind() == StopReason.Kind.EXTERNAL_ABORT;
                call = new FinalCall(TaskStatus.STOPPED, stop.statusReason(),
                        () -> ctx.client().stopped(id, stop.statusReason(), message, force));
            } else {
                call = new FinalCall(stop.observed(), stop.statusReason(), null);
            }
        } else if (failure != null) {
            ctx.log().error(failure.getMessage());
            String reason = failure.statusReason();
            call = failure.taskKnown()
                    ? new FinalCall(TaskStatus.FAILED, reason, () -> ctx.client().failed(id, reason, message, true))
                    : new FinalCall(plan.task().status(), reason, null);
        } else if (bug != null) {
            String reason = "agent internal error";
            ctx.log().error("Internal error of the agent: " + bug
                    + ". This is a defect: please report it with this log.");
            call = new FinalCall(TaskStatus.FAILED, reason, () -> ctx.client().failed(id, reason, message, true));
        } else if (exitCode == 0) {
            ctx.log().info("Process completed successfully");
            call = new FinalCall(TaskStatus.COMPLETED, "worker execution done",
                    () -> ctx.client().completed(id, "worker execution done", message));
        } else if (exitCode == 130 || exitCode == 254) {
            ctx.log().info("Process terminated by user");
            call = new FinalCall(TaskStatus.STOPPED, "user abort",
                    () -> ctx.client().stopped(id, "user abort", message, false));
        } else {
            String reason = "worker execution exit code " + exitCode;
            ctx.log().info("Process failed, exit code " + exitCode);
            call = new FinalCall(TaskStatus.FAILED, reason, () -> ctx.client().failed(id, reason, message, false));
        }
        deliverLog(ctx);
        if (call.action() != null) {
            report(ctx, call);
        }
        return new RunOutcome(exitCode, stop, call.status(), call.reason());
    }

    private static void deliverLog(RunContext ctx) throws InterruptedException {
        LogForwarder forwarder = ctx.log().forwarder();
        if (!forwarder.drain(DELIVERY_WINDOW)) {
            ctx.log().consoleOnly("### " + forwarder.stats().linesPending() + " lines of the task log could not be "
                    + "delivered to the server within " + DELIVERY_WINDOW.toMinutes() + " minutes ###");
        }
    }

    /** Makes the status call, retrying transient failures until the server is back or the window closes. */
    private static void report(RunContext ctx, FinalCall call) throws InterruptedException {
        long deadline = System.nanoTime() + DELIVERY_WINDOW.toNanos();
        long pause = 500;
        while (true) {
            try {
                call.action().run();
                return;
            } catch (ClearMLException e) {
                if (!e.isTransient() || System.nanoTime() > deadline) {
                    // As the real agent: the task probably set its own status, or the server is gone for good.
                    ctx.log().consoleOnly("### Could not mark the task " + call.status().wireName() + " ("
                            + e.getMessage() + ") ###");
                    return;
                }
            }
            Thread.sleep(pause);
            pause = Math.min(pause * 2, 8000);
        }
    }

    @FunctionalInterface
    private interface StatusCall {
        void run() throws ClearMLException;
    }

    private record FinalCall(TaskStatus status, String reason, StatusCall action) {
    }
}
