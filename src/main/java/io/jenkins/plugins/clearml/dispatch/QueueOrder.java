package io.jenkins.plugins.clearml.dispatch;

/** In which order waiting queues are served, as the real agent's {@code --order-fairness} flag chooses. */
public enum QueueOrder {
    /** The first queue first: a lower queue gets a slot only when no higher queue can use it. */
    PRIORITY,
    /** Round robin: one task from each queue with work in turn. */
    FAIR
}
