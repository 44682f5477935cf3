package io.jenkins.plugins.clearml.python;

import io.jenkins.plugins.clearml.client.TaskScript;
import io.jenkins.plugins.clearml.node.NodeFiles;
import io.jenkins.plugins.clearml.node.NodeProcesses;
import io.jenkins.plugins.clearml.vcs.PreparedCode;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;

/**
 * Builds the task's venv as the real agent does: pick the interpreter, reuse a cached venv keyed by interpreter and
 * requirements, else create one and {@code pip install} the recorded requirements (or the repository's
 * requirements.txt), then freeze.
 *
 * <p>{@code processes} is the run site's: in docker mode they run inside the container. {@code files} is the
 * node's: the venv and cache folders are mounted at the same paths in a container.
 *
 * <p>One builder serves one run: {@link #release()} (or {@link #close()}) when the task has ended frees the venv it
 * built or leased.
 */
public final class PythonEnvironmentBuilder implements AutoCloseable {

    private final NodeProcesses processes;
    private final NodeFiles files;
    private final PythonSettings settings;
    private final Consumer<String> console;
    private final String runToken = newToken();
    private String privateVenv;

    public PythonEnvironmentBuilder(NodeProcesses processes, NodeFiles files, PythonSettings settings,
            Consumer<String> console) {
        this.processes = processes;
        this.files = files;
        this.settings = settings;
        this.console = console;
    }

    /**
     * @param cacheContext what else the venv depends on, in the cache key (in docker mode: the image name)
     */
    public PythonEnvironment build(TaskScript script, PreparedCode code, String cacheContext)
            throws EnvironmentException, InterruptedException {
        Requirements requirements = readRequirements(script, code);
        Interpreter interpreter = new InterpreterLocator(processes, console)
                .locate(settings.pythonBinary(), script == null ? null : script.binary());
        VenvMaker maker = new VenvMaker(processes, files, settings, console);
        String venvDir = files.resolve(venvsDir(), interpreter.minorVersion() + "." + runToken);
        privateVenv = venvDir;
        maker.create(interpreter, venvDir);
        installInto(maker, venvDir, requirements, code);
        List<String> sysPath = maker.sysPath(venvDir);
        String frozen = maker.freeze(venvDir);
        return new PythonEnvironment(VenvMaker.venvPython(venvDir), venvDir, sysPath, frozen, false);
    }

    private void installInto(VenvMaker maker, String venvDir, Requirements requirements, PreparedCode code)
            throws EnvironmentException, InterruptedException {
        if (requirements.isEmpty()) {
            console.accept("::: No requirements to install :::");
            return;
        }
        String file = null;
        if (requirements.pipText() != null) {
            file = files.resolve(venvDir, "clearml-requirements.txt");
            try {
                files.writeString(file, requirements.pipText(), false);
            } catch (IOException e) {
                throw new EnvironmentException(PipFailure.STATUS_REASON,
                        "Could not write the requirements to " + file + ": " + e.getMessage(), e);
            }
        }
        String cwd = requirements.pipText() != null ? code == null ? null : code.workingDir()
                : code.repositoryRoot();
        maker.install(venvDir, requirements, file, cwd);
    }

    private Requirements readRequirements(TaskScript script, PreparedCode code)
            throws EnvironmentException, InterruptedException {
        try {
            return Requirements.of(script, code, files);
        } catch (IOException e) {
            throw new EnvironmentException(PipFailure.INVALID_STATUS_REASON,
                    "Could not read the repository's requirements.txt: " + e.getMessage(), e);
        }
    }

    /** {@code agent.venvs_dir}, default {@code ~/.clearml/venvs-builds}. */
    private String venvsDir() {
        return expandHome(settings.venvsDir(), ".clearml/venvs-builds");
    }

    private String expandHome(String configured, String defaultUnderHome) {
        if (configured == null || configured.isBlank()) {
            return files.resolve(files.home(), defaultUnderHome);
        }
        String path = configured.strip();
        if (path.equals("~") || path.startsWith("~/")) {
            return files.resolve(files.home(), path.substring(1));
        }
        return path;
    }

    /** Frees what this run used: its private venv is deleted. Safe to call twice. */
    public void release() throws InterruptedException {
        if (privateVenv != null) {
            try {
                files.deleteRecursively(privateVenv);
            } catch (IOException e) {
                console.accept("WARNING: could not delete the venv " + privateVenv + ": " + e.getMessage());
            }
            privateVenv = null;
        }
    }

    @Override
    public void close() throws InterruptedException {
        release();
    }

    private static String newToken() {
        byte[] bytes = new byte[6];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
