package io.jenkins.plugins.clearml.execution;

import io.jenkins.plugins.clearml.client.Task;
import io.jenkins.plugins.clearml.python.PythonEnvironment;
import io.jenkins.plugins.clearml.vcs.PreparedCode;
import java.util.Map;

/**
 * What is known about a run so far, passed down the steps: each step returns a copy with its own part added
 * (the task record, the prepared code, the run site, the Python environment). Immutable.
 *
 * @param request     what was asked
 * @param workerId    the worker id this run reports as
 * @param runDir      the run's folder on the node (code, generated configuration)
 * @param task        the task record, once read
 * @param code        the prepared code, once cloned
 * @param site        where the environment is built and the entry point runs, once open
 * @param python      the built environment
 * @param environment the variables every process of the task gets (CLEARML_TASK_ID...), secrets excluded
 * @param secrets     the variables holding secrets (API and git credentials), never printed
 */
record ExecutionPlan(
        ExecutionRequest request,
        String workerId,
        String runDir,
        Task task,
        PreparedCode code,
        RunSite site,
        PythonEnvironment python,
        Map<String, String> environment,
        Map<String, String> secrets) {

    ExecutionPlan {
        environment = environment == null ? Map.of() : Map.copyOf(environment);
        secrets = secrets == null ? Map.of() : Map.copyOf(secrets);
    }

    static ExecutionPlan of(ExecutionRequest request, String workerId, String runDir) {
        return new ExecutionPlan(request, workerId, runDir, null, null, null, null, Map.of(), Map.of());
    }

    String taskId() {
        return request.taskId();
    }

    ExecutionPlan withTask(Task t) {
        return new ExecutionPlan(request, workerId, runDir, t, code, site, python, environment, secrets);
    }

    ExecutionPlan withCode(PreparedCode c) {
        return new ExecutionPlan(request, workerId, runDir, task, c, site, python, environment, secrets);
    }

    ExecutionPlan withSite(RunSite s) {
        return new ExecutionPlan(request, workerId, runDir, task, code, s, python, environment, secrets);
    }

    ExecutionPlan withPython(PythonEnvironment p) {
        return new ExecutionPlan(request, workerId, runDir, task, code, site, p, environment, secrets);
    }

    ExecutionPlan withEnvironment(Map<String, String> env, Map<String, String> secretEnv) {
        return new ExecutionPlan(request, workerId, runDir, task, code, site, python, env, secretEnv);
    }
}
