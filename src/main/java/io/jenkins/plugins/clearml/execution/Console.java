package io.jenkins.plugins.clearml.execution;

/**
 * Where the run's console goes besides the task log: standard output on the command line, the build log in
 * Jenkins. Called with one line at a time, without its line break.
 */
@FunctionalInterface
public interface Console {

    void line(String line);

    /** Several whole lines, each ended by {@code '\n'}: plain output read at once. By default a {@link #line} each. */
    default void lines(String text) {
        int from = 0;
        int end;
        while ((end = text.indexOf('\n', from)) >= 0) {
            line(text.substring(from, end));
            from = end + 1;
        }
    }

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
