package io.jenkins.plugins.clearml.logs;

import io.jenkins.plugins.clearml.client.LogEvent;
import java.io.IOException;
import java.util.List;

/**
 * Where sealed log events go: {@code events.add_batch} on a server ({@link ClientLogSink}), or a test double.
 * One call is one request.
 */
@FunctionalInterface
public interface LogSink {

    /**
     * Sends the events, in order, as one request. Throws when they were not stored; {@link #isTransient} tells
     * whether sending them again later can succeed.
     */
    void send(List<LogEvent> events) throws IOException;

    /**
     * How many events, from the start of the list, were stored before {@code failure} (a batch sent as several
     * requests can fail half-way); they must not be sent again.
     */
    default int storedBefore(IOException failure) {
        return failure instanceof io.jenkins.plugins.clearml.client.ClearMLBatchException e ? e.deliveredEvents() : 0;
    }

    /** Whether a failure of {@link #send} is worth retrying (server unreachable, 5xx, garbage answer). */
    default boolean isTransient(IOException failure) {
        if (failure instanceof io.jenkins.plugins.clearml.client.ClearMLException e) {
            return e.isTransient() || e.isAuthenticationFailure();
        }
        return true;
    }
}
