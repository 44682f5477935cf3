package io.jenkins.plugins.clearml.logs;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Cuts a process's raw output into lines, as the real agent with {@code agent.suppress_carriage_return} does:
 * a line rewritten with carriage returns (a progress bar) is reduced to its last non-empty state, backspaces are
 * dropped, bytes are decoded as UTF-8 with replacement. A line longer than {@link #MAX_LINE_BYTES} is cut, so one
 * endless line cannot hold unbounded memory.
 *
 * <p>Plain output (whole lines without carriage returns or backspaces) is handed on as runs of lines, one call per
 * run ({@link LineSink#lines}); everything else goes byte by byte, a line at a time. Both give the same lines.
 *
 * <p>Not thread-safe except {@link #emitPendingProgress()}, which the owner may call from a timer while another
 * thread feeds bytes: both are synchronized.
 */
public final class ConsoleLineSplitter {

    /** A longer line is emitted in pieces of this many bytes. */
    public static final int MAX_LINE_BYTES = 64 * 1024;

    private final LineSink lines;
    private byte[] current = new byte[256];
    private int length;
    /** A carriage return ended the current segment: the next printable byte starts a new one. */
    private boolean segmentEnded;
    /** The current segment was already emitted as progress; do not emit it again at its line feed. */
    private boolean emitted;

    public ConsoleLineSplitter(LineSink lines) {
        this.lines = lines;
    }

    public synchronized void feed(byte[] buffer, int offset, int count) {
        int end = offset + count;
        int i = offset;
        while (i < end) {
            if (length == 0 && !segmentEnded) {
                int plainEnd = plainLinesEnd(buffer, i, end);
                if (plainEnd > i) {
                    lines.lines(new String(buffer, i, plainEnd - i, StandardCharsets.UTF_8), plainLines);
                    i = plainEnd;
                    continue;
                }
            }
            byte b = buffer[i++];
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

    /** Lines counted by the last {@link #plainLinesEnd}. */
    private int plainLines;

    /**
     * The end (just past its last line feed) of the run of whole plain lines from {@code from}: lines without
     * {@code '\r'} or {@code '\b'}, none longer than {@link #MAX_LINE_BYTES}; {@code from} when there is none.
     */
    private int plainLinesEnd(byte[] buffer, int from, int end) {
        int runEnd = from;
        int lineStart = from;
        int count = 0;
        for (int i = from; i < end; i++) {
            byte b = buffer[i];
            if (b == '\n') {
                runEnd = i + 1;
                lineStart = runEnd;
                count++;
            } else if (b == '\r' || b == '\b' || i - lineStart >= MAX_LINE_BYTES) {
                break;
            }
        }
        plainLines = count;
        return runEnd;
    }

    /**
     * Emits the latest state of a line being rewritten with carriage returns (a progress bar between updates), so
     * that the log shows progress before the line ends. Plain partial lines are left alone.
     */
    public synchronized void emitPendingProgress() {
        if (segmentEnded && length > 0 && !emitted) {
            lines.line(decode());
            emitted = true;
        }
    }

    /** Emits the last, unterminated line (end of output). */
    public synchronized void finish() {
        if (length > 0 && !emitted) {
            lines.line(decode());
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
        lines.line(new String(current, 0, cut, StandardCharsets.UTF_8));
        System.arraycopy(current, cut, current, 0, length - cut);
        length -= cut;
    }

    private void endLine() {
        if (!emitted) {
            lines.line(decode());
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
