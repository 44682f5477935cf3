package io.jenkins.plugins.clearml.step;

import io.jenkins.plugins.clearml.execution.Console;
import java.io.PrintStream;

/**
 * A build's log (its listener's stream) as the engine's console. A run of plain lines is one write, not a
 * {@code println} per line, where the stream's line separator is the engine's {@code '\n'}.
 */
public final class BuildLogConsole implements Console {

    private static final boolean NEWLINE_SEPARATOR = "\n".equals(System.lineSeparator());

    private final PrintStream log;
    /** Written since the last flush: the engine asks for a flush every 100 ms, output or not. */
    private volatile boolean unflushed;

    public BuildLogConsole(PrintStream log) {
        this.log = log;
    }

    @Override
    public void line(String line) {
        log.println(line);
        unflushed = true;
    }

    @Override
    public void lines(String text) {
        if (NEWLINE_SEPARATOR) {
            log.print(text);
            unflushed = true;
        } else {
            Console.super.lines(text);
        }
    }

    @Override
    public void flush() {
        if (unflushed) {
            unflushed = false;
            log.flush();
        }
    }
}
