package io.jenkins.plugins.clearml.execution;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The task's recorded script arguments (hyperparameter section {@code Args}) as command-line arguments, sorted by
 * name, one argument each, never through a shell:
 * <ul>
 *   <li>{@code name = value} → {@code --name=value} (a name that already starts with {@code -} is kept as is);</li>
 *   <li>{@code True} → the bare flag {@code --name} (argparse {@code store_true});</li>
 *   <li>{@code False}, {@code None} and empty values → nothing (the script's default applies).</li>
 * </ul>
 * A script that calls {@code Task.init} also gets these values from the SDK, which overrides argparse itself.
 */
final class ScriptArguments {

    static final String SECTION = "Args";

    private ScriptArguments() {
    }

    static List<String> of(Map<String, Map<String, String>> hyperparams) {
        Map<String, String> args = hyperparams == null ? null : hyperparams.get(SECTION);
        List<String> argv = new ArrayList<>();
        if (args == null) {
            return argv;
        }
        for (Map.Entry<String, String> e : new TreeMap<>(args).entrySet()) {
            String name = e.getKey();
            String value = e.getValue();
            if (name == null || name.isBlank() || value == null || value.isEmpty() || value.equals("None")
                    || value.equals("False")) {
                continue;
            }
            String option = name.startsWith("-") ? name : "--" + name;
            argv.add(value.equals("True") ? option : option + "=" + value);
        }
        return argv;
    }
}
