package io.jenkins.plugins.clearml.cli;

import io.jenkins.plugins.clearml.execution.Console;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * The console of the command line: standard output, buffered and flushed whenever the task's output pauses, so that
 * a task printing a million lines does not cost a million system calls.
 */
final class StdoutConsole implements Console {

    private final PrintStream out;

    StdoutConsole() {
        this(new PrintStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16), false,
                StandardCharsets.UTF_8));
    }

    StdoutConsole(PrintStream out) {
        this.out = out;
    }

    @Override
    public synchronized void line(String line) {
        out.print(line);
        out.print('\n');
    }

    @Override
    public synchronized void flush() {
        out.flush();
    }
}
