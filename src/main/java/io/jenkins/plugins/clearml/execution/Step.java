package io.jenkins.plugins.clearml.execution;

/**
 * One job of the reproduce-and-run sequence. A step does its job, then hands the enriched plan to the rest of the
 * chain with {@link Chain#proceed}; a step that holds something for the rest of the run (a heartbeat, a container)
 * releases it when {@code proceed} returns or throws. The last step runs the entry point and returns its outcome.
 */
interface Step {

    RunOutcome run(ExecutionPlan plan, Chain chain) throws StepFailure, InterruptedException;
}
