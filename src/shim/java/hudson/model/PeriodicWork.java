package hudson.model;

import hudson.ExtensionPoint;
import hudson.triggers.SafeTimerTask;

public abstract class PeriodicWork extends SafeTimerTask implements ExtensionPoint {
    protected static final long MIN = 1000 * 60;

    public PeriodicWork() {
    }

    public long getInitialDelay() {
        throw new UnsupportedOperationException("compile-only Jenkins API shim");
    }

    public abstract long getRecurrencePeriod();
}
