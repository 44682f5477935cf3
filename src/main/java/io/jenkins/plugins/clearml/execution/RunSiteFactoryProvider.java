package io.jenkins.plugins.clearml.execution;

import io.jenkins.plugins.clearml.config.AgentConfig;
import io.jenkins.plugins.clearml.node.NodeAccess;
import java.util.ServiceLoader;

/**
 * Supplies the docker-mode {@link RunSiteFactory} to the command line, found with {@link ServiceLoader} so that the
 * engine does not depend on the container package. Jenkins wires its factory directly.
 */
public interface RunSiteFactoryProvider {

    RunSiteFactory dockerSites(AgentConfig config, NodeAccess node);

    /** The first provider on the class path, or {@code null} when docker mode is not available. */
    static RunSiteFactory findDockerSites(AgentConfig config, NodeAccess node) {
        for (RunSiteFactoryProvider p : ServiceLoader.load(RunSiteFactoryProvider.class,
                RunSiteFactoryProvider.class.getClassLoader())) {
            RunSiteFactory f = p.dockerSites(config, node);
            if (f != null) {
                return f;
            }
        }
        return null;
    }
}
