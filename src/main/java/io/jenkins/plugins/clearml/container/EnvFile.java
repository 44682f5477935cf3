package io.jenkins.plugins.clearml.container;

import io.jenkins.plugins.clearml.node.NodeFiles;
import java.io.IOException;
import java.util.Map;

/**
 * A docker {@code --env-file}: one {@code NAME=value} per line, written readable by the agent's user only (0600).
 * The docker client reads it and hands the values to the container; they never appear on a command line.
 */
final class EnvFile {

    private EnvFile() {
    }

    static void write(NodeFiles files, String path, Map<String, String> variables)
            throws IOException, InterruptedException {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, String> e : variables.entrySet()) {
            String value = e.getValue() == null ? "" : e.getValue();
            if (!e.getKey().matches("[A-Za-z_][A-Za-z0-9_]*")) {
                throw new IOException("environment variable name '" + e.getKey() + "' cannot be passed to a container");
            }
            if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
                // an env file has no quoting: a line break would end the value and start a new variable
                throw new IOException("the value of " + e.getKey()
                        + " contains a line break, which a docker env file cannot carry");
            }
            sb.append(e.getKey()).append('=').append(value).append('\n');
        }
        files.writeString(path, sb.toString(), true);
    }
}
