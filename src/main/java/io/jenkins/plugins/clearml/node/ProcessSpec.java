package io.jenkins.plugins.clearml.node;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A process to start on a node: an argument vector (never a shell line), a working directory, the variables
 * to add to the node's environment, the variables to remove from it, and optional bytes for standard input.
 * Standard output and standard error are merged, in the order the process wrote them.
 *
 * @param command       the argument vector; the first element is the program
 * @param workingDir    working directory on the node, or {@code null} for the node's default
 * @param environment   variables added to (or overriding) the node's environment
 * @param removeFromEnvironment variables removed from the inherited environment
 * @param stdin         bytes written to standard input, which is then closed; {@code null} closes it at once
 * @param maskedValues  secrets that must never be printed if this command line is logged
 */
public record ProcessSpec(
        List<String> command,
        String workingDir,
        Map<String, String> environment,
        List<String> removeFromEnvironment,
        byte[] stdin,
        List<String> maskedValues) {

    public ProcessSpec {
        command = List.copyOf(Objects.requireNonNull(command, "command"));
        if (command.isEmpty()) {
            throw new IllegalArgumentException("empty command");
        }
        environment = Map.copyOf(environment == null ? Map.of() : environment);
        removeFromEnvironment = List.copyOf(removeFromEnvironment == null ? List.of() : removeFromEnvironment);
        maskedValues = List.copyOf(maskedValues == null ? List.of() : maskedValues);
    }

    public static ProcessSpec of(List<String> command, String workingDir) {
        return new ProcessSpec(command, workingDir, Map.of(), List.of(), null, List.of());
    }

    public static ProcessSpec of(String... command) {
        return of(List.of(command), null);
    }

    public ProcessSpec withEnvironment(Map<String, String> env) {
        return new ProcessSpec(command, workingDir, env, removeFromEnvironment, stdin, maskedValues);
    }

    public ProcessSpec withoutEnvironment(List<String> names) {
        return new ProcessSpec(command, workingDir, environment, names, stdin, maskedValues);
    }

    public ProcessSpec withStdin(byte[] input) {
        return new ProcessSpec(command, workingDir, environment, removeFromEnvironment, input, maskedValues);
    }

    public ProcessSpec withWorkingDir(String dir) {
        return new ProcessSpec(command, dir, environment, removeFromEnvironment, stdin, maskedValues);
    }

    public ProcessSpec withMaskedValues(List<String> secrets) {
        return new ProcessSpec(command, workingDir, environment, removeFromEnvironment, stdin, secrets);
    }

    /** The command line for logs: arguments joined by spaces, with every masked value replaced by {@code ****}. */
    public String displayCommand() {
        String line = String.join(" ", command);
        for (String secret : maskedValues) {
            if (secret != null && !secret.isEmpty()) {
                line = line.replace(secret, "****");
            }
        }
        return line;
    }
}
