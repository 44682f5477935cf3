package io.jenkins.plugins.clearml.dispatch;

import java.util.Objects;

/** How a placed task's run ended, from the dispatcher's point of view. */
public record RunOutcome(Kind kind, String reason) {

    public enum Kind {
        /** It ran; the runner (the engine) has set the task's final status. */
        FINISHED,
        /** It never started (no node, image pull failed, node gone before the start): back to the queue's front. */
        NOT_STARTED,
        /** Left alone: it changed while it waited (aborted, reset), so it must not run. */
        SKIPPED,
        /** Its node died while it ran: failed, or re-enqueued, by the {@link NodeLossPolicy}. */
        NODE_LOST
    }

    public RunOutcome {
        Objects.requireNonNull(kind, "kind");
        reason = reason == null ? "" : reason;
    }

    public static RunOutcome finished(String reason) {
        return new RunOutcome(Kind.FINISHED, reason);
    }

    public static RunOutcome notStarted(String reason) {
        return new RunOutcome(Kind.NOT_STARTED, reason);
    }

    public static RunOutcome skipped(String reason) {
        return new RunOutcome(Kind.SKIPPED, reason);
    }

    public static RunOutcome nodeLost(String reason) {
        return new RunOutcome(Kind.NODE_LOST, reason);
    }
}
