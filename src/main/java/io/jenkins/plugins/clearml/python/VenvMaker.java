package io.jenkins.plugins.clearml.python;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.clearml.node.NodeFiles;
import io.jenkins.plugins.clearml.node.NodeProcesses;
import io.jenkins.plugins.clearml.node.ProcessResult;
import io.jenkins.plugins.clearml.node.ProcessSpec;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Creates a venv, installs requirements into it with pip, and reads back its {@code sys.path} and freeze.
 *
 * <p>pip runs with the node's environment untouched: the user's pip.conf and {@code PIP_*} variables (index,
 * mirror, find-links, no-index, certificates, proxies) apply as they would in a shell. The only options added
 * are {@code --disable-pip-version-check} (it would query the index for a newer pip) and {@code --no-input}
 * (nobody is there to answer a prompt).
 */
final class VenvMaker {

    static final String VENV_FAILED = "failed creating virtual environment";
    private static final String SYS_PATH_PROBE = "import sys, json; print(json.dumps(sys.path))";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final NodeProcesses processes;
    private final NodeFiles files;
    private final PythonSettings settings;
    private final Consumer<String> console;

    VenvMaker(NodeProcesses processes, NodeFiles files, PythonSettings settings, Consumer<String> console) {
        this.processes = processes;
        this.files = files;
        this.settings = settings;
        this.console = console;
    }

    static String venvPython(String venvDir) {
        return venvDir + "/bin/python";
    }

    /** Creates an empty venv at {@code venvDir}, replacing whatever was there. */
    void create(Interpreter interpreter, String venvDir) throws EnvironmentException, InterruptedException {
        try {
            files.deleteRecursively(venvDir);
            String parent = venvDir.substring(0, Math.max(1, venvDir.lastIndexOf('/')));
            files.createDirectories(parent);
        } catch (IOException e) {
            throw new EnvironmentException(VENV_FAILED, "Could not prepare the venv folder " + venvDir + ": "
                    + e.getMessage() + ". Check that the agent's user can write there (agent.venvs_dir).", e);
        }
        console.accept("::: Creating virtual environment " + venvDir + " with " + interpreter.command() + " ("
                + interpreter.version() + ") :::");
        ProcessOutput.Result venv = run(venvCommand(interpreter, "venv", venvDir), null);
        if (venv.succeeded()) {
            return;
        }
        // The agent prefers virtualenv; we use the standard library's venv and fall back to virtualenv where
        // venv is unusable (Debian's python3 without python3-venv has no ensurepip) but virtualenv is installed.
        ProcessOutput.Result virtualenv = run(venvCommand(interpreter, "virtualenv", venvDir), line -> { });
        if (virtualenv.succeeded()) {
            console.accept("venv failed; created the environment with virtualenv instead");
            return;
        }
        deleteQuietly(venvDir);
        String minor = interpreter.minorVersion();
        throw new EnvironmentException(VENV_FAILED,
                "Could not create a virtual environment with " + interpreter.command() + " (" + interpreter.version()
                        + "): its venv module or ensurepip is missing. On Debian/Ubuntu install the package python"
                        + minor + "-venv (apt-get install python" + minor + "-venv, or python3-venv), or install "
                        + "virtualenv for this interpreter.\nThe last lines of '" + interpreter.command()
                        + " -m venv':\n" + PipFailure.quote(venv.tail()));
    }

    List<String> venvCommand(Interpreter interpreter, String module, String venvDir) {
        // The probed executable, not the name searched: a pyenv shim could resolve differently by now.
        String python = interpreter.executable().isBlank() ? interpreter.command() : interpreter.executable();
        List<String> command = new ArrayList<>(List.of(python, "-m", module));
        if (settings.systemSitePackages()) {
            command.add("--system-site-packages");
        }
        command.add(venvDir);
        return command;
    }

    /** {@code pip install -r} of the requirements with {@code python} (a venv's), streamed to the console. */
    void install(String python, Requirements requirements, String requirementsFile, String workingDir)
            throws EnvironmentException, InterruptedException {
        install(python, requirements, requirementsFile, workingDir, Map.of());
    }

    /** The same with extra variables for pip (e.g. {@code PIP_BREAK_SYSTEM_PACKAGES}). */
    void install(String python, Requirements requirements, String requirementsFile, String workingDir,
            Map<String, String> pipEnvironment) throws EnvironmentException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(python, "-m", "pip", "install",
                "--disable-pip-version-check", "--no-input"));
        List<String> sources = requirements.pipText() != null ? List.of(requirementsFile) : requirements.files();
        for (String file : sources) {
            command.add("-r");
            command.add(file);
        }
        List<String> secrets = new ArrayList<>();
        for (String url : settings.extraIndexUrls()) {
            command.add("--extra-index-url");
            command.add(url);
            secrets.addAll(passwordOf(url));
        }
        for (String flag : settings.extraPipInstallFlags()) {
            command.addAll(List.of(flag.strip().split("\\s+")));
        }
        ProcessSpec spec = ProcessSpec.of(command, workingDir).withMaskedValues(secrets)
                .withEnvironment(pipEnvironment);
        console.accept("::: Installing requirements from " + requirements.origin() + " :::");
        console.accept("$ " + spec.displayCommand());
        ProcessOutput.Result result;
        try {
            result = ProcessOutput.stream(processes, spec, masking(secrets, console));
        } catch (IOException e) {
            throw new EnvironmentException(PipFailure.STATUS_REASON,
                    "Could not start pip with " + python + ": " + e.getMessage(), e);
        }
        if (!result.succeeded()) {
            throw PipFailure.from(result.tail(), requirements.origin());
        }
    }

    /** The interpreter's own {@code sys.path}. */
    List<String> sysPath(String python) throws EnvironmentException, InterruptedException {
        ProcessResult result = runQuietly(List.of(python, "-c", SYS_PATH_PROBE));
        try {
            String last = result.output().strip();
            last = last.substring(last.lastIndexOf('\n') + 1);
            return JSON.readValue(last, new TypeReference<List<String>>() { });
        } catch (IOException | RuntimeException e) {
            throw new EnvironmentException(VENV_FAILED, "The interpreter " + python
                    + " did not report its sys.path:\n" + result.output().strip(), e);
        }
    }

    /** {@code pip freeze} of the interpreter. */
    String freeze(String python) throws EnvironmentException, InterruptedException {
        ProcessResult result = runQuietly(List.of(python, "-m", "pip", "freeze",
                "--disable-pip-version-check"));
        return result.output().strip().isEmpty() ? "" : result.output().strip() + "\n";
    }

    private ProcessResult runQuietly(List<String> command) throws EnvironmentException, InterruptedException {
        ProcessResult result;
        try {
            result = processes.run(ProcessSpec.of(command, null));
        } catch (IOException e) {
            throw new EnvironmentException(VENV_FAILED, "Could not run " + command.get(0) + ": " + e.getMessage(), e);
        }
        if (!result.succeeded()) {
            throw new EnvironmentException(VENV_FAILED, "'" + String.join(" ", command) + "' failed (exit code "
                    + result.exitCode() + "):\n" + result.tail(15));
        }
        return result;
    }

    private ProcessOutput.Result run(List<String> command, Consumer<String> sink)
            throws EnvironmentException, InterruptedException {
        try {
            return ProcessOutput.stream(processes, ProcessSpec.of(command, null), sink == null ? console : sink);
        } catch (IOException e) {
            throw new EnvironmentException(VENV_FAILED, "Could not run " + command.get(0) + ": " + e.getMessage(), e);
        }
    }

    private void deleteQuietly(String dir) throws InterruptedException {
        try {
            files.deleteRecursively(dir);
        } catch (IOException ignored) {
            // a half-made venv left behind is replaced by the next build
        }
    }

    /** The password of a {@code https://user:password@host/} index URL, so that no log shows it. */
    static List<String> passwordOf(String url) {
        try {
            String userInfo = URI.create(url.strip()).getRawUserInfo();
            if (userInfo == null || userInfo.isEmpty()) {
                return List.of();
            }
            int colon = userInfo.indexOf(':');
            return List.of(colon >= 0 ? userInfo.substring(colon + 1) : userInfo);
        } catch (IllegalArgumentException notAUri) {
            return List.of();
        }
    }

    private static Consumer<String> masking(List<String> secrets, Consumer<String> console) {
        if (secrets.isEmpty()) {
            return console;
        }
        return line -> {
            String shown = line;
            for (String secret : secrets) {
                if (!secret.isEmpty()) {
                    shown = shown.replace(secret, "****");
                }
            }
            console.accept(shown);
        };
    }
}
