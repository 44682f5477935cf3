package hudson.triggers;

import java.util.TimerTask;

public abstract class SafeTimerTask extends TimerTask {
    public SafeTimerTask() {
    }

    protected abstract void doRun() throws Exception;

    @Override
    public final void run() {
        throw new UnsupportedOperationException("compile-only Jenkins API shim");
    }
}
