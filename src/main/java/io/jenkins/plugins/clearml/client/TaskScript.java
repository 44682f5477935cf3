package io.jenkins.plugins.clearml.client;

import java.util.Map;

/**
 * The task's {@code script} section: where its code is and how it is run.
 *
 * @param requirements as stored: keys {@code pip}, {@code conda}, {@code org_pip}, {@code org_conda}; values are
 *                     text blocks or lists of lines
 */
public record TaskScript(
        String binary,
        String repository,
        String branch,
        String tag,
        String versionNum,
        String entryPoint,
        String workingDir,
        String diff,
        Map<String, Object> requirements) {

    public TaskScript {
        requirements = requirements == null ? Map.of() : Map.copyOf(requirements);
    }

    /** The requirement text under {@code key} ({@code pip}, {@code org_pip}...), lists joined by new lines. */
    public String requirementText(String key) {
        Object v = requirements.get(key);
        if (v == null) {
            return "";
        }
        if (v instanceof Iterable<?> lines) {
            StringBuilder sb = new StringBuilder();
            for (Object line : lines) {
                sb.append(line).append('\n');
            }
            return sb.toString();
        }
        return v.toString();
    }
}
