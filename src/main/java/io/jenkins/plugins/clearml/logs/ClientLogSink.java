package io.jenkins.plugins.clearml.logs;

import io.jenkins.plugins.clearml.client.ClearMLClient;
import io.jenkins.plugins.clearml.client.ClearMLException;
import io.jenkins.plugins.clearml.client.LogEvent;
import java.util.List;

/** Sends log events with {@code events.add_batch}. */
public final class ClientLogSink implements LogSink {

    private final ClearMLClient client;

    public ClientLogSink(ClearMLClient client) {
        this.client = client;
    }

    @Override
    public void send(List<LogEvent> events) throws ClearMLException {
        int added = client.addLogEvents(events);
        if (added < events.size()) {
            // The server stored only part of the packet: it has refused the rest for good, so do not resend.
            throw new ClearMLException("events.add_batch", 400, 0,
                    "the server stored " + added + " of " + events.size() + " log events");
        }
    }
}
