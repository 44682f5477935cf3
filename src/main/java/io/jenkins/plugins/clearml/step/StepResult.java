package io.jenkins.plugins.clearml.step;

import io.jenkins.plugins.clearml.execution.ExecutionResult;
import java.util.LinkedHashMap;
import java.util.Map;

/** What {@code clearmlExecute} returns to the Pipeline script. */
public final class StepResult {

    private StepResult() {
    }

    /**
     * {@code id}, {@code status} (the server's name for it, e.g. {@code completed}) and {@code url} (the task's log
     * page). A plain serializable map, so that a Pipeline can keep it across a restart.
     */
    public static Map<String, Object> toMap(ExecutionResult result) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("id", result.taskId());
        map.put("status", result.status().wireName());
        map.put("url", result.taskUrl());
        return map;
    }

    /** One line for the build log and the failure message. */
    public static String summary(ExecutionResult result, String taskName) {
        String name = taskName == null || taskName.isBlank() ? "" : " '" + taskName + "'";
        String reason = result.reason() == null || result.reason().isBlank() ? "" : ": " + result.reason();
        return "ClearML task " + result.taskId() + name + " ended " + result.status().wireName() + reason
                + (result.taskUrl() == null ? "" : " (" + result.taskUrl() + ")");
    }
}
