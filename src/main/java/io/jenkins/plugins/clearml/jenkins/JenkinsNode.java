package io.jenkins.plugins.clearml.jenkins;

import hudson.FilePath;
import hudson.Launcher;
import io.jenkins.plugins.clearml.node.NodeAccess;
import java.io.IOException;
import java.util.Map;

/** The engine's view of the node a Pipeline step runs on, built from the step's {@link Launcher} and workspace. */
public final class JenkinsNode {

    private JenkinsNode() {
    }

    /**
     * @param environment the step's environment (the node's, plus the build's variables)
     */
    public static NodeAccess access(Launcher launcher, FilePath workspace, Map<String, String> environment)
            throws IOException, InterruptedException {
        JenkinsNodeFiles files = JenkinsNodeFiles.on(workspace);
        return new NodeAccess(new JenkinsNodeProcesses(launcher), files, environment, files.facts().hostName());
    }
}
