package io.jenkins.plugins.clearml.execution;

/** Opens the {@link RunSite} of a run: the node itself in venv mode, a container in docker mode. */
@FunctionalInterface
public interface RunSiteFactory {

    RunSite open(SiteContext context) throws RunSiteException, InterruptedException;
}
