package io.jenkins.plugins.clearml.python;

import java.util.List;

/**
 * A built Python environment.
 *
 * @param python       the interpreter to run the entry point with (inside the venv)
 * @param venvDir      the venv folder
 * @param sysPath      the interpreter's own {@code sys.path}, appended to {@code PYTHONPATH} as the agent does
 * @param frozen       {@code pip freeze} after install, written back to the task as its {@code pip} requirements
 * @param fromCache    whether the venv came from the venv cache
 */
public record PythonEnvironment(String python, String venvDir, List<String> sysPath, String frozen, boolean fromCache) {

    public PythonEnvironment {
        sysPath = sysPath == null ? List.of() : List.copyOf(sysPath);
    }
}
