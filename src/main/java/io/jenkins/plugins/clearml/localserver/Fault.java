package io.jenkins.plugins.clearml.localserver;

/** What the local server answers instead of the real answer while a fault is active (see {@link FaultPlan}). */
public enum Fault {
    /** HTTP 503 with a plain-text body, as a proxy in front of a restarting server answers. */
    SERVICE_UNAVAILABLE,
    /** HTTP 500 {@code Failed processing request <url>} in plain text, as the real server's crash handler. */
    INTERNAL_ERROR_PLAIN_TEXT,
    /** HTTP 200 with an HTML page, as the web UI answers when the API address points at it. */
    HTML_PAGE,
    /** HTTP 200 with bytes that are not JSON. */
    GARBAGE,
    /** The connection is closed without any answer. */
    DROP_CONNECTION,
    /** The request is processed, then the connection is closed without the answer (a lost answer). */
    LOSE_ANSWER,
    /** No answer until the stall time passes (see {@link FaultPlan#stallTime}), then the connection is closed. */
    STALL
}
