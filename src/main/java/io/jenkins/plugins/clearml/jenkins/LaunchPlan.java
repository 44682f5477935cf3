package io.jenkins.plugins.clearml.jenkins;

import io.jenkins.plugins.clearml.node.ProcessSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link ProcessSpec} translated into what a Jenkins {@code Launcher.ProcStarter} takes.
 *
 * <p>The launcher adds {@link #environmentOverrides()} to the agent's own environment, and an override with an empty
 * value removes the variable (Jenkins' {@code EnvVars.override}); that is how the spec's removals are expressed.
 * The agent expands {@code $NAME} references in override values against its environment, as it does for every
 * launcher; values the engine passes are names, paths and keys, which contain no {@code $}.
 *
 * @param command              the argument vector, never a shell line
 * @param environmentOverrides variables to set, and removed variables mapped to ""
 * @param workingDir           the process's working directory on the node, or {@code null}
 * @param stdin                bytes for standard input; empty closes it at once
 */
public record LaunchPlan(List<String> command, Map<String, String> environmentOverrides, String workingDir, byte[] stdin) {

    public static LaunchPlan of(ProcessSpec spec) {
        Map<String, String> env = new LinkedHashMap<>();
        for (String name : spec.removeFromEnvironment()) {
            if (!spec.environment().containsKey(name)) {
                env.put(name, "");
            }
        }
        // Deterministic order, so that a logged plan reads the same every time.
        new java.util.TreeMap<>(spec.environment()).forEach(env::put);
        return new LaunchPlan(spec.command(), env, spec.workingDir(), spec.stdin() == null ? new byte[0] : spec.stdin());
    }

    /** Never the environment's values or the input: they may hold secrets. */
    @Override
    public String toString() {
        return "LaunchPlan[command=" + command + ", environment=" + environmentOverrides.keySet() + ", workingDir="
                + workingDir + ", stdin=" + stdin.length + " bytes]";
    }
}
