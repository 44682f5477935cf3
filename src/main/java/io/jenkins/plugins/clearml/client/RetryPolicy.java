package io.jenkins.plugins.clearml.client;

/**
 * Which failures a call may repeat (within {@link ClientSettings#retryWindow()}, with exponential backoff).
 * A 401 is different: every call logs in again once and repeats, because the server refused it before doing
 * anything.
 */
enum RetryPolicy {

    /**
     * Calls whose repetition changes nothing (reads, status changes to the same status, pings, reports): connection
     * errors, timeouts, answers that are not the server's ({@code 5xx} without an envelope, e.g. from a proxy) and
     * the envelope codes that mean "not processed" (429, 502, 503, 504).
     */
    IDEMPOTENT,

    /**
     * Calls that must not run twice, or whose repeat would answer differently ({@code tasks.create},
     * {@code queues.create}, {@code queues.get_next_task}, which pops, and {@code tasks.dequeue}, whose repeat answers
     * "not queued"): repeated only when the request certainly never reached the server (connection refused, unknown
     * host, connect timeout) or was refused as not processed (429, 503).
     */
    ONLY_IF_NOT_DELIVERED,

    /** Never repeated here: event batches, whose sender owns retries so that it never duplicates a line. */
    NEVER
}
