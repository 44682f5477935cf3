package io.jenkins.plugins.clearml.jenkins;

import io.jenkins.plugins.clearml.client.ServerEndpoint;

/**
 * One ClearML server as configured in Jenkins, without Jenkins types.
 *
 * @param name          the name pipelines use ({@code server: 'prod'})
 * @param apiUrl        the API server, e.g. {@code https://api.clear.ml}
 * @param webUrl        the web UI; empty derives it from the API address
 * @param filesUrl      the file server; empty derives it from the API address
 * @param credentialsId a Jenkins username-with-password credential: access key as user name, secret key as password
 */
public record ServerSettings(String name, String apiUrl, String webUrl, String filesUrl, String credentialsId) {

    public ServerSettings {
        name = Strings.trim(name);
        apiUrl = Strings.trim(apiUrl);
        webUrl = Strings.trim(webUrl);
        filesUrl = Strings.trim(filesUrl);
        credentialsId = Strings.trim(credentialsId);
    }

    /** The server's addresses; web and files derived from the API address where not given. */
    public ServerEndpoint endpoint() {
        return new ServerEndpoint(apiUrl, webUrl, filesUrl);
    }
}
