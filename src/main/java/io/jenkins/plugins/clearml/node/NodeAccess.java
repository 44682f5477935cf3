package io.jenkins.plugins.clearml.node;

import java.util.Map;

/**
 * Everything the engine needs from the node that runs a task: its processes, its files, its environment
 * and its host name.
 */
public record NodeAccess(NodeProcesses processes, NodeFiles files, Map<String, String> environment, String hostName) {

    public NodeAccess {
        environment = Map.copyOf(environment);
    }

    /** The machine this JVM runs on. */
    public static NodeAccess local() {
        return LocalNode.access();
    }
}
