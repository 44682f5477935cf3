package io.jenkins.plugins.clearml.python;

import io.jenkins.plugins.clearml.node.NodeProcesses;
import io.jenkins.plugins.clearml.node.ProcessResult;
import io.jenkins.plugins.clearml.node.ProcessSpec;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Picks the interpreter the way the real agent does (reference 3.3): {@code agent.python_binary} when set; else,
 * for a task recorded with {@code python3.10.4}, the first of {@code python3.10.4}, {@code python3.10},
 * {@code python3}, {@code python} whose version matches, else the first working one with a warning.
 */
final class InterpreterLocator {

    private static final Pattern REQUESTED = Pattern.compile("python(\\d+(?:\\.\\d+)*)$");
    /** One process per candidate: where it really is and its version. Python 2 prints the same way. */
    private static final String PROBE =
            "import sys; print(sys.executable); print('.'.join(str(v) for v in sys.version_info[:3]))";

    private final NodeProcesses processes;
    private final Consumer<String> console;

    InterpreterLocator(NodeProcesses processes, Consumer<String> console) {
        this.processes = processes;
        this.console = console;
    }

    /** The version a task asks for through {@code script.binary}: {@code 3.10} for {@code /usr/bin/python3.10}. */
    static String requestedVersion(String scriptBinary) {
        if (scriptBinary == null || scriptBinary.isBlank()) {
            return "";
        }
        String name = scriptBinary.strip();
        name = name.substring(name.lastIndexOf('/') + 1);
        Matcher m = REQUESTED.matcher(name);
        return m.find() ? m.group(1) : "";
    }

    /** {@code python3.10.4, python3.10, python3, python} for {@code 3.10.4}; {@code python3, python} for none. */
    static List<String> candidates(String requested) {
        List<String> names = new ArrayList<>();
        if (!requested.isEmpty()) {
            String[] parts = requested.split("\\.");
            for (int n = parts.length; n >= 2; n--) {
                names.add("python" + String.join(".", java.util.Arrays.copyOf(parts, n)));
            }
        }
        names.add("python3");
        names.add("python");
        return names;
    }

    Interpreter locate(String pythonBinarySetting, String scriptBinary)
            throws EnvironmentException, InterruptedException {
        if (pythonBinarySetting != null && !pythonBinarySetting.isBlank()) {
            return locateConfigured(pythonBinarySetting, "agent.python_binary");
        }
        String requested = requestedVersion(scriptBinary);
        List<String> names = candidates(requested);
        Interpreter firstWorking = null;
        for (String name : names) {
            Optional<Interpreter> found = probe(name);
            if (found.isEmpty() || !found.get().version().startsWith("3.")) {
                continue;
            }
            if (found.get().matches(requested)) {
                return found.get();
            }
            if (firstWorking == null) {
                firstWorking = found.get();
            }
        }
        if (firstWorking != null) {
            console.accept("WARNING: Python " + requested + " was requested by the task but was not found (tried "
                    + String.join(", ", names) + "); using " + firstWorking.command() + " ("
                    + firstWorking.version() + ")");
            return firstWorking;
        }
        throw new EnvironmentException("python not found",
                "No Python 3 interpreter found on this node (tried " + String.join(", ", names) + " on the PATH). "
                        + "Install Python" + (requested.isEmpty() ? " 3" : " " + requested)
                        + ", or set agent.python_binary (clearml.conf, or the Python binary field of the node "
                        + "settings) to the path of an interpreter, e.g. /usr/bin/python3.");
    }

    /** The interpreter {@code setting} names, which must run as Python 3. */
    Interpreter locateConfigured(String command, String setting) throws EnvironmentException, InterruptedException {
        String configured = command.strip();
        return probe(configured).filter(i -> i.version().startsWith("3."))
                .orElseThrow(() -> new EnvironmentException("python not found",
                        "The configured Python interpreter '" + configured + "' (" + setting + ") does not run as "
                                + "Python 3 where the task runs. Install it, or point " + setting + " at a working "
                                + "interpreter (e.g. /usr/bin/python3)"
                                + (setting.startsWith("agent.") ? ", or leave it empty to search the PATH." : ".")));
    }

    private Optional<Interpreter> probe(String command) throws InterruptedException {
        ProcessResult result;
        try {
            result = processes.run(ProcessSpec.of(command, "-c", PROBE));
        } catch (IOException notStartable) {
            return Optional.empty();
        }
        if (!result.succeeded()) {
            return Optional.empty();
        }
        String[] lines = result.output().strip().split("\\R");
        if (lines.length < 2 || !lines[lines.length - 1].matches("\\d+\\.\\d+\\.\\d+")) {
            return Optional.empty();
        }
        return Optional.of(new Interpreter(command, lines[lines.length - 2].strip(), lines[lines.length - 1]));
    }
}
