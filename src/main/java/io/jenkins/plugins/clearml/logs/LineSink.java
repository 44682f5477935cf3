package io.jenkins.plugins.clearml.logs;

/**
 * Where {@link ConsoleLineSplitter} puts the lines it cuts: one at a time, or, for plain output, a run of whole
 * lines at once, so that a task printing a million short lines costs a call per read, not per line.
 */
@FunctionalInterface
public interface LineSink {

    /** One line, without its line break. */
    void line(String line);

    /** {@code count} whole lines, each ended by {@code '\n'}. By default: {@link #line} for each. */
    default void lines(String text, int count) {
        int from = 0;
        int end;
        while ((end = text.indexOf('\n', from)) >= 0) {
            line(text.substring(from, end));
            from = end + 1;
        }
    }
}
