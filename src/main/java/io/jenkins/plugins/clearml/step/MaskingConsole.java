package io.jenkins.plugins.clearml.step;

import io.jenkins.plugins.clearml.execution.Console;
import java.util.List;
import java.util.Objects;

/**
 * The build log as the engine's console, with the run's secrets (secret key, git password) replaced by
 * {@code ****} should any output echo them, as Jenkins' credentials binding does for its own secrets.
 */
public final class MaskingConsole implements Console {

    /** Shorter values would mask ordinary words; Jenkins' own masking skips them for the same reason. */
    private static final int MIN_SECRET_LENGTH = 3;

    private final Console target;
    private final List<String> secrets;

    public MaskingConsole(Console target, List<String> secrets) {
        this.target = target;
        // A secret pasted with a line break is masked line by line: output is masked a line or a run of lines at a
        // time, and a mask must never join or drop lines.
        this.secrets = secrets.stream().filter(Objects::nonNull).flatMap(s -> java.util.Arrays.stream(s.split("\n")))
                .map(String::strip).filter(s -> s.length() >= MIN_SECRET_LENGTH).distinct().toList();
    }

    @Override
    public void line(String line) {
        target.line(mask(line));
    }

    /** A run of lines is masked as one text: as line by line, since no secret holds a line break (see above). */
    @Override
    public void lines(String text) {
        target.lines(mask(text));
    }

    @Override
    public void flush() {
        target.flush();
    }

    private String mask(String text) {
        String masked = text;
        for (String secret : secrets) {
            masked = masked.replace(secret, "****");
        }
        return masked;
    }
}
