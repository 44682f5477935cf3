package io.jenkins.plugins.clearml.execution;

import io.jenkins.plugins.clearml.client.ClearMLClient;
import io.jenkins.plugins.clearml.client.ClearMLException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The SDK's grace period on abort (reference 2.9 and 2.10). A task whose SDK registered an abort callback
 * ({@code Task.register_abort_callback}) records {@code runtime._abort_callback_timeout} and
 * {@code _abort_poll_freq}; when the abort test wants to stop such a task, the process is left running so that the
 * SDK, which watches the status itself, can run the callback and set {@code runtime._abort_callback_completed}. The
 * stop goes ahead once that flag is set or after {@code min(timeout + poll, agent.abort_callback_max_timeout)}
 * seconds, whichever comes first, re-checked at every abort test.
 *
 * <p>One instance per run; {@link #gate} is called from the abort-watch thread only, {@link #endedByAbort} once the
 * process has ended.
 */
final class AbortCallback {

    static final String TIMEOUT = "_abort_callback_timeout";
    static final String POLL_FREQ = "_abort_poll_freq";
    static final String COMPLETED = "_abort_callback_completed";
    /** What the SIGKILLed task process exits with (128 + 9): the SDK kills its own process after the callback. */
    static final int KILLED = 137;

    private final ClearMLClient client;
    private final Duration maxWait;
    private final RunLog log;
    private final String taskId;
    private long waitStartedNanos;
    private double waitSeconds;
    /** The stop the wait holds back; {@code null} while no wait began. */
    private volatile StopReason held;

    /** @param maxWait {@code agent.abort_callback_max_timeout} */
    AbortCallback(ClearMLClient client, Duration maxWait, RunLog log, String taskId) {
        this.client = client;
        this.maxWait = maxWait;
        this.log = log;
        this.taskId = taskId;
    }

    /**
     * The abort test wants to make {@code wanted}: returns the stop to make now, or {@code null} to leave the task
     * running while its callback runs. Once a wait began, the stop it held back is the one made when it ends.
     */
    StopReason gate(StopReason wanted) {
        StopReason pending = held;
        if (pending != null) {
            return waitGoesOn() ? null : pending;
        }
        Map<String, Object> runtime;
        try {
            runtime = client.getRuntimeProperties(taskId, List.of(TIMEOUT, POLL_FREQ, COMPLETED));
        } catch (ClearMLException | RuntimeException e) {
            return wanted; // as the real agent: no answer means no callback to wait for
        }
        double timeout = number(runtime.get(TIMEOUT));
        if (!(timeout > 0)) {
            // Not set, or -1: the SDK's mark for "no callback". The real agent waits one poll for -1; nothing does.
            return wanted;
        }
        double poll = number(runtime.get(POLL_FREQ));
        waitSeconds = Math.min(timeout + (poll > 0 ? poll : 0), maxWait.toMillis() / 1000.0);
        waitStartedNanos = System.nanoTime();
        held = wanted;
        log.info("### Task abort callback timeout set, waiting for max " + pythonNumber(waitSeconds)
                + " sec ###");
        return isSet(runtime.get(COMPLETED)) ? wanted : null;
    }

    /** Whether the wait goes on: the time is not up and the task has not said it is done; logs the outcome. */
    private boolean waitGoesOn() {
        double elapsed = (System.nanoTime() - waitStartedNanos) / 1e9;
        if (elapsed < waitSeconds) {
            if (!completedOnServer()) {
                return true;
            }
            log.info(String.format(Locale.ROOT, "### Task abort callback completed in %.2f seconds ###",
                    elapsed));
        } else {
            log.info(String.format(Locale.ROOT,
                    "### Task abort callback timed out [timeout: %s, elapsed: %.2f] ###", pythonNumber(waitSeconds),
                    elapsed));
        }
        return false;
    }

    /**
     * The process ended without this agent stopping it. It counts as aborted (the stop returned) when a wait for
     * the callback had begun, or when it was killed by SIGKILL with {@code _abort_callback_completed} set: the SDK
     * ends its own process once the callback is done. {@code null} means it ended by itself.
     */
    StopReason endedByAbort(int exitCode) {
        StopReason pending = held;
        if (pending != null) {
            return pending;
        }
        if (exitCode == KILLED && completedOnServer()) {
            return StopReason.userAbort();
        }
        return null;
    }

    private boolean completedOnServer() {
        try {
            return isSet(client.getRuntimeProperties(taskId, List.of(COMPLETED)).get(COMPLETED));
        } catch (ClearMLException | RuntimeException e) {
            return false; // asked again at the next abort test
        }
    }

    /** A number as the SDK stores it (a JSON number, or text through {@code tasks.edit_runtime}); NaN if none. */
    static double number(Object value) {
        if (value instanceof Number n) {
            return n.doubleValue();
        }
        if (value instanceof String s && !s.isBlank()) {
            try {
                return Double.parseDouble(s.strip());
            } catch (NumberFormatException e) {
                return Double.NaN;
            }
        }
        return Double.NaN;
    }

    /** Set as the SDK sets it ({@code 1}, later SDKs {@code "1"} or {@code true}); the SDK clears it with "". */
    static boolean isSet(Object value) {
        if (value instanceof Boolean b) {
            return b;
        }
        if (value instanceof Number n) {
            return n.doubleValue() != 0;
        }
        if (value instanceof String s) {
            String v = s.strip().toLowerCase(Locale.ROOT);
            return !v.isEmpty() && !v.equals("0") && !v.equals("false");
        }
        return false;
    }

    /** As Python prints a float: {@code 31.0}, {@code 2.5}. */
    static String pythonNumber(double seconds) {
        return seconds == Math.rint(seconds) && Math.abs(seconds) < 1e15
                ? String.format(Locale.ROOT, "%.1f", seconds) : Double.toString(seconds);
    }
}
