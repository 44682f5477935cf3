package io.jenkins.plugins.clearml.jenkins;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The plugin's global configuration as plain data: the servers, which one is the default, and the docker defaults.
 *
 * @param servers                the configured servers, in the order the administrator listed them
 * @param defaultServer          the name used when a step names no server; empty means the only server, if just one
 * @param defaultDockerImage     the image for docker mode when neither the step nor the task names one
 * @param allowedDockerArguments regular expressions of docker flags a task may request beyond the safe default set
 */
public record PluginSettings(
        List<ServerSettings> servers, String defaultServer, String defaultDockerImage, List<String> allowedDockerArguments) {

    /** Where administrators fix the configuration; named in every message about it. */
    public static final String CONFIG_PAGE = "Manage Jenkins \u00bb System \u00bb ClearML";

    public PluginSettings {
        servers = servers == null ? List.of() : List.copyOf(servers);
        defaultServer = Strings.trim(defaultServer);
        defaultDockerImage = Strings.trim(defaultDockerImage);
        allowedDockerArguments = allowedDockerArguments == null ? List.of() : List.copyOf(allowedDockerArguments);
    }

    /**
     * The server a step runs against: the one it names, else the default server, else the only server.
     *
     * @param requested the step's {@code server} argument; blank for the default
     */
    public ServerSettings resolveServer(String requested) throws UserInputException {
        String name = Strings.trim(requested);
        if (servers.isEmpty()) {
            throw new UserInputException("No ClearML server is configured: add one in " + CONFIG_PAGE + ".");
        }
        if (name.isEmpty()) {
            if (!defaultServer.isEmpty()) {
                return find(defaultServer).orElseThrow(() -> new UserInputException("The default ClearML server '"
                        + defaultServer + "' is not configured (servers: " + names() + "): choose another default in "
                        + CONFIG_PAGE + "."));
            }
            if (servers.size() == 1) {
                return servers.get(0);
            }
            throw new UserInputException("Several ClearML servers are configured (" + names()
                    + ") and none is the default: pass server: '<name>' to the step, or choose a default server in "
                    + CONFIG_PAGE + ".");
        }
        return find(name).orElseThrow(() -> new UserInputException("No ClearML server named '" + name
                + "': use one of " + names() + ", or add it in " + CONFIG_PAGE + "."));
    }

    /** Server names compare as entered, but case-insensitively, as ClearML compares queue names. */
    public java.util.Optional<ServerSettings> find(String name) {
        return servers.stream().filter(s -> s.name().equalsIgnoreCase(Strings.trim(name))).findFirst();
    }

    private String names() {
        return servers.stream().map(s -> "'" + s.name() + "'").collect(Collectors.joining(", "));
    }
}
