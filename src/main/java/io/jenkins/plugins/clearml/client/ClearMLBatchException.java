package io.jenkins.plugins.clearml.client;

/**
 * An event batch that failed after some of its packets (each at most 1 MiB) were stored: the first
 * {@link #deliveredEvents()} events must not be sent again, or they would show twice in the console.
 */
public class ClearMLBatchException extends ClearMLException {

    private final int deliveredEvents;

    public ClearMLBatchException(ClearMLException cause, int deliveredEvents) {
        super(cause.endpoint(), cause.resultCode(), cause.resultSubcode(),
                cause.getMessage() + " (" + deliveredEvents + " earlier events of this batch were stored)", cause);
        this.deliveredEvents = deliveredEvents;
    }

    /** How many events, from the start of the list, the server stored before the failure. */
    public int deliveredEvents() {
        return deliveredEvents;
    }
}
