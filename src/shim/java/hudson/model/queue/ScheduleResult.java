package hudson.model.queue;

import hudson.model.Queue;

public abstract class ScheduleResult {
    ScheduleResult() {
        throw new UnsupportedOperationException("compile-only Jenkins API shim");
    }

    public Queue.Item getItem() {
        throw new UnsupportedOperationException("compile-only Jenkins API shim");
    }

    public final boolean isAccepted() {
        throw new UnsupportedOperationException("compile-only Jenkins API shim");
    }
}
