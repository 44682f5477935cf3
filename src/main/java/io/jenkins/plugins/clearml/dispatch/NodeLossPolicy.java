package io.jenkins.plugins.clearml.dispatch;

/** What happens to a task whose node died while running it. */
public enum NodeLossPolicy {
    /** Mark it failed, with the node and the time it was lost in the status reason (the default). */
    FAIL,
    /** Mark it failed, then enqueue it again at the tail of the queue it came from (for idempotent jobs). */
    REQUEUE
}
