package io.jenkins.plugins.clearml.python;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * "Use the Python already there" (reference 3.5 and 8), as the variables are seen where the task runs (the node, or
 * inside its container):
 * <ul>
 *   <li>{@value #SKIP_PIP_VENV}: {@code 1}/{@code true} or the path of an interpreter: no venv; the task's
 *       requirements are pip-installed into that interpreter (the one found on the {@code PATH} for
 *       {@code 1});</li>
 *   <li>{@value #SKIP_PYTHON_ENV}: no venv and nothing installed: the interpreter (the one named by
 *       {@value #SKIP_PIP_VENV}, else the one found) already has everything.</li>
 * </ul>
 *
 * @param noVenv      run the interpreter itself, not a venv made from it
 * @param interpreter the interpreter to use, or {@code null} to search as usual
 * @param noPackages  install nothing
 */
public record SkipInstall(boolean noVenv, String interpreter, boolean noPackages) {

    public static final String SKIP_PIP_VENV = "CLEARML_AGENT_SKIP_PIP_VENV_INSTALL";
    public static final String SKIP_PYTHON_ENV = "CLEARML_AGENT_SKIP_PYTHON_ENV_INSTALL";
    /** The variables to look up. */
    public static final List<String> VARIABLES = List.of(SKIP_PIP_VENV, SKIP_PYTHON_ENV);
    /** Neither set: a venv as usual. */
    public static final SkipInstall NONE = new SkipInstall(false, null, false);

    /** From the variables' values where the task runs; unset, empty and false-like values mean "not set". */
    public static SkipInstall of(Map<String, String> variables) {
        String venv = variables.getOrDefault(SKIP_PIP_VENV, "").strip();
        String env = variables.getOrDefault(SKIP_PYTHON_ENV, "").strip();
        boolean venvSet = !venv.isEmpty() && !isFalse(venv);
        boolean packagesSkipped = !env.isEmpty() && !isFalse(env);
        if (!venvSet && !packagesSkipped) {
            return NONE;
        }
        String interpreter = venvSet && !isTrue(venv) ? venv : null;
        return new SkipInstall(true, interpreter, packagesSkipped);
    }

    /** The variable this setting came from, for the console. */
    String source() {
        return noPackages ? SKIP_PYTHON_ENV : SKIP_PIP_VENV;
    }

    private static boolean isTrue(String v) {
        return List.of("1", "true", "yes", "on", "y").contains(v.toLowerCase(Locale.ROOT));
    }

    private static boolean isFalse(String v) {
        return List.of("0", "false", "no", "off", "n").contains(v.toLowerCase(Locale.ROOT));
    }
}
