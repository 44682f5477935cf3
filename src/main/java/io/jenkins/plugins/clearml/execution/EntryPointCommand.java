package io.jenkins.plugins.clearml.execution;

import io.jenkins.plugins.clearml.node.ShellWords;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The entry point's argument vector, as the real agent builds it (section 3.6): {@code <venv python> -u <script>},
 * {@code -m module args...}, a shell for bash tasks, then the task's script arguments.
 */
final class EntryPointCommand {

    private EntryPointCommand() {
    }

    /** Whether the task is a shell script ({@code script.binary} ends in bash, zsh or sh). */
    static boolean isShellTask(String binary) {
        if (binary == null) {
            return false;
        }
        String b = binary.trim().toLowerCase(Locale.ROOT);
        return b.endsWith("bash") || b.endsWith("zsh") || b.endsWith("/sh") || b.equals("sh");
    }

    /**
     * The script file the entry point names, relative to the working dir, or {@code null} for {@code -m} and
     * {@code -c} entry points.
     */
    static String scriptFile(String entryPoint) {
        String entry = entryPoint == null ? "" : entryPoint.trim();
        if (entry.startsWith("-m ") || entry.startsWith("-c ")) {
            return null;
        }
        return entry;
    }

    /**
     * @param scriptExists whether {@link #scriptFile} exists as named; if not, an entry point with spaces is taken
     *                     as a script followed by its arguments
     */
    static List<String> build(String python, String binary, String entryPoint, boolean scriptExists,
            List<String> arguments) {
        String entry = entryPoint == null ? "" : entryPoint.trim();
        List<String> argv = new ArrayList<>();
        if (isShellTask(binary)) {
            argv.add(binary.trim().startsWith("/") ? binary.trim() : "/bin/bash");
            if (entry.startsWith("-c ")) {
                argv.add("-c");
                argv.add(entry.substring(3).trim());
            } else {
                argv.add(entry);
            }
        } else {
            argv.add(python);
            argv.add("-u");
            if (entry.startsWith("-m ")) {
                argv.add("-m");
                argv.addAll(ShellWords.split(entry.substring(3)));
            } else if (!scriptExists && entry.contains(" ")) {
                argv.addAll(ShellWords.split(entry));
            } else {
                argv.add(entry);
            }
        }
        argv.addAll(arguments);
        return argv;
    }
}
