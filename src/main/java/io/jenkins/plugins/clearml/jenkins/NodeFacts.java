package io.jenkins.plugins.clearml.jenkins;

import java.io.Serializable;

/**
 * What the engine needs to know about the machine a build step runs on, read once on that machine.
 *
 * @param home     the home directory of the user running the agent
 * @param tempDir  {@code java.io.tmpdir} of the agent
 * @param hostName the machine's host name, as the task's worker name
 */
public record NodeFacts(String home, String tempDir, String hostName) implements Serializable {
}
