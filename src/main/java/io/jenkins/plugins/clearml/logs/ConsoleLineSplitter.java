package io.jenkins.plugins.clearml.logs;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Cuts a process's raw output into lines, as the real agent with {@code agent.suppress_carriage_return} does:
 * a line rewritten with carriage returns (a progress bar) is reduced to its last non-empty state, backspaces are
 * dropped, bytes are decoded as UTF-8 with replacement. A line longer than {@link #MAX_LINE_BYTES} is cut, so one
 * endless line cannot hold unbounded memory.
 *
 * <p>Not thread-safe except {@link #emitPendingProgress()}, which the owner may call from a timer while another
 * thread feeds bytes: both are synchronized.
 */
public final class ConsoleLineSplitter {

    /** A longer line is emitted in pieces of this many bytes. */
    public static final int MAX_LINE_BYTES = 64 * 1024;

    private final Consumer<String> lines;
    private byte[] current = new byte[256];
    private int length;
    /** A carriage return ended the current segment: the next printable byte starts a new one. */
    private boolean segmentEnded;
    /** The current segment was already emitted as progress; do not emit it again at its line feed. */
    private boolean emitted;

    public ConsoleLineSplitter(Consumer<String> lines) {
        this.lines = lines;
    }

    public synchronized void feed(byte[] buffer, int offset, int count) {
        int end = offset + count;
        for (int i = offset; i < end; i++) {
            byte b = buffer[i];
            switch (b) {
                case '\n' -> endLine();
                case '\r' -> {
                    if (length > 0) {
                        segmentEnded = true;
                    }
                }
                case '\b' -> {
                    // dropped, as the real agent does
                }
                default -> append(b);
            }
        }
    }

    /**
     * Emits the latest state of a line being rewritten with carriage returns (a progress bar between updates), so
     * that the log shows progress before the line ends. Plain partial lines are left alone.
     */
    public synchronized void emitPendingProgress() {
        if (segmentEnded && length > 0 && !emitted) {
            lines.accept(decode());
            emitted = true;
        }
    }

    /** Emits the last, unterminated line (end of output). */
    public synchronized void finish() {
        if (length > 0 && !emitted) {
            lines.accept(decode());
        }
        reset();
    }

    private void append(byte b) {
        if (segmentEnded) {
            length = 0;
            segmentEnded = false;
            emitted = false;
        }
        if (length == MAX_LINE_BYTES) {
            emitCut();
        }
        if (length == current.length) {
            current = Arrays.copyOf(current, Math.min(MAX_LINE_BYTES, current.length * 2));
        }
        current[length++] = b;
    }

    private void emitCut() {
        // Cut before the last character if its bytes are not all there yet.
        int start = length - 1;
        while (start > 0 && (current[start] & 0xC0) == 0x80 && length - start < 4) {
            start--;
        }
        int lead = current[start] & 0xFF;
        int size = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
        int cut = start + size > length && start > 0 ? start : length;
        lines.accept(new String(current, 0, cut, StandardCharsets.UTF_8));
        System.arraycopy(current, cut, current, 0, length - cut);
        length -= cut;
    }

    private void endLine() {
        if (!emitted) {
            lines.accept(decode());
        }
        reset();
    }

    private void reset() {
        length = 0;
        segmentEnded = false;
        emitted = false;
        if (current.length > 4096) {
            current = new byte[256];
        }
    }

    private String decode() {
        return new String(current, 0, length, StandardCharsets.UTF_8);
    }
}
