package io.jenkins.plugins.clearml.localserver;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fault injection for reliability tests: make the server answer with a {@link Fault} for a period, or for the next
 * N requests (optionally of one endpoint only). Connection refusal is {@link LocalClearMLServer#refuseConnectionsFor}.
 * Thread-safe; the latest call replaces the previous plan.
 */
public final class FaultPlan {

    private record Plan(Fault fault, Instant until, AtomicInteger remaining, String endpoint) {
    }

    private volatile Plan plan;
    private volatile Duration stallTime = Duration.ofSeconds(60);

    /** Every request answers {@code fault} for {@code period} (e.g. a 2-minute outage; tests use seconds). */
    public FaultPlan failFor(Fault fault, Duration period) {
        plan = new Plan(Objects.requireNonNull(fault), Instant.now().plus(period), null, null);
        return this;
    }

    /** The next {@code count} requests answer {@code fault}. */
    public FaultPlan failNext(Fault fault, int count) {
        return failNext(fault, count, null);
    }

    /** The next {@code count} requests to {@code endpoint} (e.g. {@code tasks.started}; null: any) answer {@code fault}. */
    public FaultPlan failNext(Fault fault, int count, String endpoint) {
        plan = new Plan(Objects.requireNonNull(fault), null, new AtomicInteger(count), endpoint);
        return this;
    }

    /** How long a {@link Fault#STALL} holds a request before dropping it (default 60 s). */
    public FaultPlan stallTime(Duration time) {
        stallTime = time;
        return this;
    }

    public Duration stallTime() {
        return stallTime;
    }

    /** Ends any fault now. */
    public void clear() {
        plan = null;
    }

    /** Whether a fault is still active (period not over, or requests left to fail). */
    public boolean active() {
        Plan p = plan;
        if (p == null) {
            return false;
        }
        return p.until != null ? Instant.now().isBefore(p.until) : p.remaining.get() > 0;
    }

    /** The fault for this request, consuming one of the counted ones; null for a normal answer. */
    Fault next(String endpoint) {
        Plan p = plan;
        if (p == null) {
            return null;
        }
        if (p.until != null) {
            if (Instant.now().isBefore(p.until)) {
                return p.fault;
            }
            plan = null;
            return null;
        }
        if (p.endpoint != null && !p.endpoint.equals(endpoint)) {
            return null;
        }
        return p.remaining.getAndDecrement() > 0 ? p.fault : null;
    }
}
