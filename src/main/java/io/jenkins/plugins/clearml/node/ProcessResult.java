package io.jenkins.plugins.clearml.node;

/** Exit code and merged output of a command run to its end. */
public record ProcessResult(int exitCode, String output) {

    public boolean succeeded() {
        return exitCode == 0;
    }

    /** The last {@code lines} lines of output, for error messages. */
    public String tail(int lines) {
        String[] all = output.strip().split("\n");
        int from = Math.max(0, all.length - lines);
        return String.join("\n", java.util.Arrays.copyOfRange(all, from, all.length));
    }
}
