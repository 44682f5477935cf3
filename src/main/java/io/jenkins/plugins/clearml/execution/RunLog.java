package io.jenkins.plugins.clearml.execution;

import io.jenkins.plugins.clearml.logs.LineSink;
import io.jenkins.plugins.clearml.logs.LogForwarder;
import io.jenkins.plugins.clearml.logs.LogLevel;

/**
 * Writes a run's lines to both of its outputs: the console and the task's log on the server. As a {@link LineSink}
 * it takes the task's own output.
 */
final class RunLog implements LineSink {

    private final Console console;
    private final LogForwarder forwarder;

    RunLog(Console console, LogForwarder forwarder) {
        this.console = console;
        this.forwarder = forwarder;
    }

    /** A line of the task's own output ({@code DEBUG}, as the real agent sends it). */
    @Override
    public void line(String line) {
        console.line(line);
        forwarder.log(LogLevel.DEBUG, line);
    }

    /** Whole lines of the task's own output, each ended by {@code '\n'}. */
    @Override
    public void lines(String text, int count) {
        console.lines(text);
        forwarder.logLines(LogLevel.DEBUG, text, count);
    }

    /** An agent notice: each line of {@code text} at {@code INFO}. */
    void info(String text) {
        write(LogLevel.INFO, text);
    }

    void warning(String text) {
        write(LogLevel.WARNING, text);
    }

    void error(String text) {
        write(LogLevel.ERROR, text);
    }

    /** A line for the console only (log delivery notices, which cannot go to the log they are about). */
    void consoleOnly(String line) {
        console.line(line);
        console.flush();
    }

    void flushConsole() {
        console.flush();
    }

    LogForwarder forwarder() {
        return forwarder;
    }

    private void write(LogLevel level, String text) {
        for (String line : text.split("\n", -1)) {
            console.line(line);
            forwarder.log(level, line);
        }
        console.flush();
    }
}
