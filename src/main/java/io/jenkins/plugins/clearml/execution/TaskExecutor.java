package io.jenkins.plugins.clearml.execution;

import io.jenkins.plugins.clearml.client.ClearMLClient;
import io.jenkins.plugins.clearml.config.AgentConfig;
import io.jenkins.plugins.clearml.node.NodeAccess;

/**
 * Runs the reproduce-and-run sequence for one task on one node: the entry point of the engine, shared by the
 * command line, the Pipeline step and the queue cloud.
 */
public final class TaskExecutor {

    private final ClearMLClient client;
    private final AgentConfig config;
    private final NodeAccess node;

    public TaskExecutor(ClearMLClient client, AgentConfig config, NodeAccess node) {
        this.client = client;
        this.config = config;
        this.node = node;
    }

    /** Starts the run in the background; the returned handle aborts it or waits for its end. */
    public TaskRun start(ExecutionRequest request, Console console) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** Runs to the end. */
    public ExecutionResult execute(ExecutionRequest request, Console console) throws InterruptedException {
        return start(request, console).awaitResult();
    }
}
