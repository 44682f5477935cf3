package io.jenkins.plugins.clearml.execution;

/**
 * Where the run's console goes besides the task log: standard output on the command line, the build log in
 * Jenkins. Called with one line at a time, without its line break.
 */
@FunctionalInterface
public interface Console {

    void line(String line);

    /**
     * Pushes buffered lines out. Called when the task's output pauses, so a buffering console shows every line
     * promptly without paying a system call per line while output streams.
     */
    default void flush() {
    }

    static Console stdout() {
        return System.out::println;
    }
}
