package io.jenkins.plugins.clearml.client;

import java.time.Duration;

/**
 * How to reach and talk to a server.
 *
 * @param workerId     sent as {@code X-ClearML-Worker} and as the worker of log events
 * @param retryWindow  how long calls that are safe to repeat keep retrying connection errors and 5xx answers
 */
public record ClientSettings(
        ServerEndpoint endpoint,
        Credentials credentials,
        String workerId,
        Duration connectTimeout,
        Duration readTimeout,
        Duration retryWindow) {

    public static ClientSettings of(ServerEndpoint endpoint, Credentials credentials, String workerId) {
        return new ClientSettings(endpoint, credentials, workerId, Duration.ofSeconds(10), Duration.ofSeconds(30),
                Duration.ofMinutes(2));
    }

    public ClientSettings withRetryWindow(Duration window) {
        return new ClientSettings(endpoint, credentials, workerId, connectTimeout, readTimeout, window);
    }

    public ClientSettings withWorkerId(String id) {
        return new ClientSettings(endpoint, credentials, id, connectTimeout, readTimeout, retryWindow);
    }
}
