package io.jenkins.plugins.clearml.testsupport.git;

import io.jenkins.plugins.clearml.node.LocalNode;
import io.jenkins.plugins.clearml.node.NodeAccess;
import io.jenkins.plugins.clearml.node.NodeFiles;
import io.jenkins.plugins.clearml.node.NodeProcesses;
import io.jenkins.plugins.clearml.node.ProcessSpec;
import io.jenkins.plugins.clearml.node.RunningProcess;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;

/**
 * The local node, seen through ports that record every process started (to check what reached a command line or
 * an environment) and that use a test-owned temporary folder. A command rewriter can make a program disappear.
 */
public final class RecordingNode {

    private final List<ProcessSpec> started = new CopyOnWriteArrayList<>();
    private final NodeAccess access;

    private RecordingNode(Path tempDir, UnaryOperator<List<String>> rewriter) {
        NodeProcesses processes = new NodeProcesses() {
            @Override
            public RunningProcess start(ProcessSpec spec) throws IOException {
                started.add(spec);
                List<String> command = rewriter.apply(spec.command());
                return LocalNode.get().start(new ProcessSpec(command, spec.workingDir(), spec.environment(),
                        spec.removeFromEnvironment(), spec.stdin(), spec.maskedValues()));
            }
        };
        NodeFiles local = LocalNode.get();
        String temp = tempDir.toAbsolutePath().toString();
        NodeFiles files = (NodeFiles) Proxy.newProxyInstance(NodeFiles.class.getClassLoader(),
                new Class<?>[] {NodeFiles.class}, (proxy, method, args) -> {
                    if (method.getName().equals("tempDir")) {
                        return temp;
                    }
                    if (method.isDefault()) {
                        return java.lang.reflect.InvocationHandler.invokeDefault(proxy, method, args);
                    }
                    try {
                        return method.invoke(local, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        this.access = new NodeAccess(processes, files, System.getenv(), "test-node");
    }

    /** The local node with {@code tempDir} as its temporary folder. */
    public static RecordingNode local(Path tempDir) {
        return new RecordingNode(tempDir, UnaryOperator.identity());
    }

    /** The local node where {@code program} cannot be found. */
    public static RecordingNode without(Path tempDir, String program) {
        return new RecordingNode(tempDir, command -> {
            if (!command.get(0).equals(program)) {
                return command;
            }
            List<String> changed = new java.util.ArrayList<>(command);
            changed.set(0, "/nonexistent/" + program);
            return changed;
        });
    }

    public NodeAccess access() {
        return access;
    }

    /** Every process started so far. */
    public List<ProcessSpec> started() {
        return List.copyOf(started);
    }
}
