package io.jenkins.plugins.clearml.dispatch;

import io.jenkins.plugins.clearml.client.ClearMLException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Server calls that must not be dropped (return a task to its queue, fail a lost task): tried at once, and again
 * on every dispatcher tick until the server takes them, so an outage delays them but loses nothing.
 */
final class RetryQueue {

    private static final Logger LOG = Logger.getLogger(RetryQueue.class.getName());

    /** A server call that may fail. */
    @FunctionalInterface
    interface Call {
        void run() throws ClearMLException;
    }

    private record Pending(String what, Call call) {}

    private final Deque<Pending> pending = new ArrayDeque<>();

    void add(String what, Call call) {
        Pending p = new Pending(what, call);
        if (!attempt(p)) {
            synchronized (pending) {
                pending.addLast(p);
            }
        }
    }

    /** Retries everything pending, oldest first; what fails again stays. */
    void runDue() {
        int n;
        synchronized (pending) {
            n = pending.size();
        }
        for (int i = 0; i < n; i++) {
            Pending p;
            synchronized (pending) {
                p = pending.pollFirst();
            }
            if (p == null) {
                return;
            }
            if (!attempt(p)) {
                synchronized (pending) {
                    pending.addLast(p);
                }
            }
        }
    }

    boolean isEmpty() {
        synchronized (pending) {
            return pending.isEmpty();
        }
    }

    private static boolean attempt(Pending p) {
        try {
            p.call.run();
            return true;
        } catch (ClearMLException | RuntimeException e) {
            LOG.log(Level.WARNING, "ClearML dispatcher: could not " + p.what + " yet, will retry: " + e.getMessage());
            return false;
        }
    }
}
