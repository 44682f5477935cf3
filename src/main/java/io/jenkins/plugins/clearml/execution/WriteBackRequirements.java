package io.jenkins.plugins.clearml.execution;

import io.jenkins.plugins.clearml.client.ClearMLException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes the installed packages back to the task ({@code tasks.set_requirements}): the freeze becomes {@code pip},
 * the task's original list is kept in {@code org_pip} the first time only. This is why a re-run shows exact pins.
 */
final class WriteBackRequirements implements Step {

    @Override
    public RunOutcome run(ExecutionPlan plan, Chain chain) throws StepFailure, InterruptedException {
        RunContext ctx = chain.context();
        String frozen = plan.python() == null ? null : plan.python().frozen();
        if (frozen != null && !frozen.isBlank()) {
            try {
                ctx.client().setRequirements(plan.taskId(), requirements(plan.task().script().requirements(), frozen));
            } catch (ClearMLException e) {
                ctx.log().warning("Could not write the installed packages back to the task (" + e.getMessage()
                        + "); the run goes on.");
            }
        }
        return chain.proceed(plan);
    }

    static Map<String, Object> requirements(Map<String, Object> current, String frozen) {
        Map<String, Object> updated = new LinkedHashMap<>(current);
        if (!updated.containsKey("org_pip")) {
            Object original = current.get("pip");
            updated.put("org_pip", original == null ? "" : asText(original));
        }
        updated.put("pip", frozen);
        return updated;
    }

    private static String asText(Object value) {
        if (value instanceof Iterable<?> lines) {
            StringBuilder sb = new StringBuilder();
            for (Object line : lines) {
                sb.append(line).append('\n');
            }
            return sb.toString();
        }
        return value.toString();
    }
}
