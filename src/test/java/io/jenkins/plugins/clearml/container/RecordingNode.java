package io.jenkins.plugins.clearml.container;

import io.jenkins.plugins.clearml.node.LocalNode;
import io.jenkins.plugins.clearml.node.NodeAccess;
import io.jenkins.plugins.clearml.node.NodeProcesses;
import io.jenkins.plugins.clearml.node.ProcessSpec;
import io.jenkins.plugins.clearml.node.RunningProcess;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** The local node, recording every command started on it, so that tests can check what reached a command line. */
final class RecordingNode implements NodeProcesses {

    final List<ProcessSpec> started = new CopyOnWriteArrayList<>();

    @Override
    public RunningProcess start(ProcessSpec spec) throws IOException {
        started.add(spec);
        return LocalNode.get().start(spec);
    }

    NodeAccess access(Map<String, String> environment) {
        return new NodeAccess(this, LocalNode.get(), environment, "test-host");
    }

    /** Every command line started, each joined with spaces. */
    List<String> commandLines() {
        return started.stream().map(s -> String.join(" ", s.command())).toList();
    }

    /** The {@code docker run} argument vector. */
    List<String> dockerRun() {
        return started.stream().map(ProcessSpec::command)
                .filter(c -> c.size() > 1 && c.get(1).equals("run")).findFirst().orElseThrow();
    }
}
