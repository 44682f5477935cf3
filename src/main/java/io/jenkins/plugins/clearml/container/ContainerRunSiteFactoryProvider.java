package io.jenkins.plugins.clearml.container;

import io.jenkins.plugins.clearml.config.AgentConfig;
import io.jenkins.plugins.clearml.execution.RunSiteFactory;
import io.jenkins.plugins.clearml.execution.RunSiteFactoryProvider;
import io.jenkins.plugins.clearml.node.NodeAccess;

/** Docker mode for the command line ({@code execute --docker}), found through {@link java.util.ServiceLoader}. */
public final class ContainerRunSiteFactoryProvider implements RunSiteFactoryProvider {

    @Override
    public RunSiteFactory dockerSites(AgentConfig config, NodeAccess node) {
        return config.docker() == null ? null : new ContainerRunSiteFactory(config.docker());
    }
}
