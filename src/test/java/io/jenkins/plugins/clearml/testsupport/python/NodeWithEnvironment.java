package io.jenkins.plugins.clearml.testsupport.python;

import io.jenkins.plugins.clearml.node.LocalNode;
import io.jenkins.plugins.clearml.node.NodeProcesses;
import io.jenkins.plugins.clearml.node.ProcessSpec;
import io.jenkins.plugins.clearml.node.RunningProcess;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The local node as a node with a different environment would be: every process gets {@code environment} added,
 * and with {@link #withPath} programs are looked up on that {@code PATH} only (through {@code /usr/bin/env}, since
 * Java resolves a program with the JVM's own {@code PATH}). Records every command line it starts.
 */
public final class NodeWithEnvironment implements NodeProcesses {

    private final Map<String, String> environment;
    private final String path;
    private final List<List<String>> started = new CopyOnWriteArrayList<>();

    private NodeWithEnvironment(Map<String, String> environment, String path) {
        this.environment = Map.copyOf(environment);
        this.path = path;
    }

    public static NodeWithEnvironment of(Map<String, String> environment) {
        return new NodeWithEnvironment(environment, null);
    }

    /** The same node with programs found only on {@code path}. */
    public NodeWithEnvironment withPath(String path) {
        return new NodeWithEnvironment(environment, path);
    }

    @Override
    public RunningProcess start(ProcessSpec spec) throws IOException {
        started.add(spec.command());
        Map<String, String> env = new HashMap<>(environment);
        env.putAll(spec.environment());
        List<String> command = spec.command();
        if (path != null) {
            List<String> viaEnv = new ArrayList<>(List.of("/usr/bin/env", "PATH=" + path));
            viaEnv.addAll(command);
            command = viaEnv;
        }
        ProcessSpec effective = new ProcessSpec(command, spec.workingDir(), env, spec.removeFromEnvironment(),
                spec.stdin(), spec.maskedValues());
        return LocalNode.get().start(effective);
    }

    /** Every command started so far, in order. */
    public List<List<String>> started() {
        return List.copyOf(started);
    }

    public void forgetStarted() {
        started.clear();
    }
}
