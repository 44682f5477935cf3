package io.jenkins.plugins.clearml.localserver;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One endpoint implementation.
 *
 * @param minVersion the routing minimum ({@code @endpoint(min_version=...)} in the real server)
 * @param authorize  false only for endpoints that answer without credentials ({@code debug.ping})
 */
record Endpoint(String name, String minVersion, boolean authorize, Handler handler) {

    /** Returns the response {@code data}; throws {@link ApiError} for an error answer. */
    @FunctionalInterface
    interface Handler {
        ObjectNode handle(ApiCall call);
    }
}
