package io.jenkins.plugins.clearml.client;

/** A failed attempt, with what is known about whether the server saw the request (drives the retry decision). */
final class TransportFailure extends ClearMLException {

    enum Kind {
        /** The request never left: connection refused, unknown host, connect timeout. */
        NOT_CONNECTED,
        /** Sent, but no answer came: read timeout, connection closed. The server may have processed it. */
        NO_ANSWER,
        /** An HTTP answer that is not a ClearML envelope (a proxy's 502/503, an HTML page, garbage). */
        NOT_CLEARML,
    }

    final Kind kind;
    final int httpStatus;

    TransportFailure(String endpoint, Kind kind, int httpStatus, String message, Throwable cause) {
        // resultCode: the HTTP status for non-ClearML answers (so that 5xx count as transient), 0 otherwise
        super(endpoint, kind == Kind.NOT_CLEARML && httpStatus >= 500 ? httpStatus : 0, 0, message, cause);
        this.kind = kind;
        this.httpStatus = httpStatus;
    }

    /** A 200 HTML page or garbage is a misconfiguration, not an outage: never transient. */
    @Override
    public boolean isTransient() {
        return kind != Kind.NOT_CLEARML || httpStatus >= 500 || httpStatus == 429;
    }
}
