package io.jenkins.plugins.clearml.execution;

import io.jenkins.plugins.clearml.client.ClearMLClient;
import io.jenkins.plugins.clearml.config.AgentConfig;
import io.jenkins.plugins.clearml.node.NodeAccess;

/**
 * The services a run's steps use (as opposed to {@link ExecutionPlan}, the data they produce): the server, the
 * configuration, the node, the run's log, its stop control and the grace period an abort callback gets.
 */
record RunContext(
        ClearMLClient client,
        AgentConfig config,
        NodeAccess node,
        ExecutorOptions options,
        RunLog log,
        RunControl control,
        AbortCallback abortCallback) {

    /** {@code status_message} of every status call, as the real agent writes it. */
    String statusMessage(ExecutionPlan plan) {
        return TaskExecutor.changedBy(plan.workerId());
    }
}
