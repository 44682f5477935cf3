package io.jenkins.plugins.clearml.execution;

import io.jenkins.plugins.clearml.node.NodeProcesses;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Venv mode: the environment is built and the entry point runs on the node itself. The task's variables,
 * secrets included, are handed to its process directly (environment, never command line).
 */
final class HostSite implements RunSite {

    static final RunSiteFactory FACTORY = HostSite::new;

    private final SiteContext context;

    private HostSite(SiteContext context) {
        this.context = context;
    }

    @Override
    public NodeProcesses processes() {
        return context.node().processes();
    }

    @Override
    public Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>(context.environment());
        env.putAll(context.secretEnvironment());
        return env;
    }

    @Override
    public Map<String, String> variables(List<String> names) {
        Map<String, String> found = new LinkedHashMap<>();
        names.forEach(n -> {
            String v = context.node().environment().get(n);
            if (v != null) {
                found.put(n, v);
            }
        });
        return found;
    }

    @Override
    public String describe() {
        return "venv on " + context.node().hostName();
    }

    @Override
    public void close() {
        // nothing to release: the task's process is killed by the run itself
    }
}
