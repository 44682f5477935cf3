package io.jenkins.plugins.clearml.cloud;

import hudson.Extension;
import hudson.model.Node;
import hudson.model.Queue;
import hudson.model.queue.CauseOfBlockage;
import hudson.model.queue.QueueTaskDispatcher;

/**
 * Keeps a ClearML task off a node that has a free executor but not enough free GPUs for it, so Jenkins never puts
 * more runs on a node than its GPUs allow.
 */
@Extension
public final class GpuQueueTaskDispatcher extends QueueTaskDispatcher {

    @Override
    public CauseOfBlockage canTake(Node node, Queue.BuildableItem item) {
        ClearmlQueueAction action = item.getAction(ClearmlQueueAction.class);
        ClearmlQueueRun run = action == null ? null : action.liveRun();
        if (run == null) {
            return null; // not ours, or no live run: its build only says so and ends
        }
        var template = run.task().template();
        String name = JenkinsNodes.nameOf(node);
        if (JenkinsNodes.get().pool().canTake(name, template)) {
            return null;
        }
        return new CauseOfBlockage() {
            @Override
            public String getShortDescription() {
                return name + " has no " + template.gpusPerTask() + " free GPU(s) for this ClearML task";
            }
        };
    }
}
