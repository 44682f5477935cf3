package io.jenkins.plugins.clearml.vcs;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Splits git's output into console lines. Git redraws progress ("Receiving objects: 42%") with carriage returns;
 * only the final state of each such line is forwarded, plus an intermediate state every few seconds so a long
 * transfer still shows signs of life, instead of hundreds of near-identical lines.
 */
final class ProgressLines {

    private static final long INTERMEDIATE_EVERY_MS = 10_000;

    private final Consumer<String> sink;
    private final ByteArrayOutputStream current = new ByteArrayOutputStream();
    private long lastEmit = System.currentTimeMillis();
    private boolean afterCarriageReturn;

    ProgressLines(Consumer<String> sink) {
        this.sink = sink;
    }

    void accept(byte[] buffer, int length) {
        for (int i = 0; i < length; i++) {
            byte b = buffer[i];
            if (afterCarriageReturn && b != '\n') {
                // A redraw: the text before the carriage return was an intermediate progress state.
                afterCarriageReturn = false;
                if (System.currentTimeMillis() - lastEmit >= INTERMEDIATE_EVERY_MS) {
                    emit();
                } else {
                    current.reset();
                }
            }
            if (b == '\n') {
                afterCarriageReturn = false;
                emit();
            } else if (b == '\r') {
                afterCarriageReturn = true;
            } else {
                current.write(b);
            }
        }
    }

    /** Forwards what is left after the last line break. */
    void finish() {
        emit();
    }

    private void emit() {
        String line = current.toString(StandardCharsets.UTF_8).stripTrailing();
        current.reset();
        if (!line.isEmpty()) {
            lastEmit = System.currentTimeMillis();
            sink.accept(line);
        }
    }
}
