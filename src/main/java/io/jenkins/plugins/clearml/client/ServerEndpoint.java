package io.jenkins.plugins.clearml.client;

/**
 * Where a ClearML server answers: its API, web UI and file server. Web and files default from the API
 * address as the real agent derives them (port 8008 becomes 8080 and 8081; {@code api.X} becomes
 * {@code app.X} and {@code files.X}).
 */
public record ServerEndpoint(String apiUrl, String webUrl, String filesUrl) {

    public ServerEndpoint {
        apiUrl = stripSlash(apiUrl);
        if (apiUrl == null || apiUrl.isBlank()) {
            throw new IllegalArgumentException("The ClearML API server address is empty: set api.api_server in clearml.conf, "
                    + "CLEARML_API_HOST, or --api-host");
        }
        webUrl = webUrl == null || webUrl.isBlank() ? derive(apiUrl, ":8080", "app.") : stripSlash(webUrl);
        filesUrl = filesUrl == null || filesUrl.isBlank() ? derive(apiUrl, ":8081", "files.") : stripSlash(filesUrl);
    }

    public static ServerEndpoint of(String apiUrl) {
        return new ServerEndpoint(apiUrl, null, null);
    }

    private static String derive(String api, String port, String hostPrefix) {
        if (api.contains(":8008")) {
            return api.replace(":8008", port);
        }
        if (api.contains("://api.")) {
            return api.replace("://api.", "://" + hostPrefix);
        }
        return api;
    }

    private static String stripSlash(String url) {
        if (url == null) {
            return null;
        }
        String u = url.trim();
        while (u.endsWith("/")) {
            u = u.substring(0, u.length() - 1);
        }
        return u;
    }

    /** The task's page in the web UI, on its console tab. */
    public String taskLogUrl(String projectId, String taskId) {
        String project = projectId == null || projectId.isBlank() ? "*" : projectId;
        return webUrl + "/projects/" + project + "/experiments/" + taskId + "/output/log";
    }
}
