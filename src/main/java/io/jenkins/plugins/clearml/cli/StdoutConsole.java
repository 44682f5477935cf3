package io.jenkins.plugins.clearml.cli;

import io.jenkins.plugins.clearml.execution.Console;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The console of the command line: standard output, buffered and flushed whenever the task's output pauses, so that
 * a task printing a million lines does not cost a million system calls. Lines are encoded straight into the buffer:
 * a {@link java.io.PrintStream} costs about four times more CPU per line (its character encoder and locking), which
 * the agent pays beside a task that prints fast.
 */
final class StdoutConsole implements Console {

    private final OutputStream out;
    /** Standard output was closed (the agent piped into {@code head}): the run goes on, the console is dropped. */
    private boolean broken;

    StdoutConsole() {
        this(new FileOutputStream(FileDescriptor.out));
    }

    StdoutConsole(OutputStream out) {
        this.out = new BufferedOutputStream(out, 1 << 16);
    }

    @Override
    public synchronized void line(String line) {
        write(line.getBytes(StandardCharsets.UTF_8), true);
    }

    @Override
    public synchronized void lines(String text) {
        write(text.getBytes(StandardCharsets.UTF_8), false);
    }

    private void write(byte[] bytes, boolean lineBreak) {
        if (broken) {
            return;
        }
        try {
            out.write(bytes);
            if (lineBreak) {
                out.write('\n');
            }
        } catch (IOException e) {
            broken = true;
        }
    }

    @Override
    public synchronized void flush() {
        if (broken) {
            return;
        }
        try {
            out.flush();
        } catch (IOException e) {
            broken = true;
        }
    }
}
