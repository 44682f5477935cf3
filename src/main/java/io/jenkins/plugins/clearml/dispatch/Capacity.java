package io.jenkins.plugins.clearml.dispatch;

import java.time.Instant;
import java.util.Optional;

/**
 * Where runs can go and what is free there. The dispatcher pops a task only after {@link #reserve} said yes, so a
 * task is never taken off a queue that nothing can run. Two implementations: {@link NodePool} places runs on known
 * nodes itself (the daemon, the simulation); {@link LabelAdmission} admits runs for the Jenkins queue to place and
 * binds them to a node when they start there.
 */
public interface Capacity {

    /** Reserves room for one more run of the template now, or empty if there is none. */
    Optional<Placement> reserve(DispatchTemplate template);

    /**
     * Binds an unbound reservation to the node the run starts on, taking that node's GPUs; empty if the node has
     * no room (then the reservation is still held). A bound placement is returned as it is.
     */
    Optional<Placement> bind(DispatchTemplate template, Placement placement, String node);

    /** Gives back what {@link #reserve} or {@link #bind} took. */
    void release(DispatchTemplate template, Placement placement);

    /** Since when the node has been offline or gone; empty while it is online. */
    Optional<Instant> offlineSince(String node);
}
