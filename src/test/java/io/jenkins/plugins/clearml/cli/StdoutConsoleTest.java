package io.jenkins.plugins.clearml.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StdoutConsoleTest {

    @Test
    void writesLinesAsUtf8WithTheirLineBreaksOnFlush() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StdoutConsole console = new StdoutConsole(out);

        console.line("epoch 1: loss 0.5");
        console.line("température ✓ 🚀");
        console.line("");
        console.lines("run of\nplain lines\n");
        assertThat(out.size()).as("buffered until flushed").isZero();
        console.flush();

        assertThat(out.toString(StandardCharsets.UTF_8))
                .isEqualTo("epoch 1: loss 0.5\ntempérature ✓ 🚀\n\nrun of\nplain lines\n");
    }

    @Test
    void aClosedStandardOutputDoesNotStopTheRun() {
        OutputStream closed = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("Broken pipe");
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                throw new IOException("Broken pipe");
            }
        };
        StdoutConsole console = new StdoutConsole(closed);

        assertThatCode(() -> {
            for (int i = 0; i < 20_000; i++) { // past the buffer, so writes reach the closed stream
                console.line("line " + i);
            }
            console.flush();
        }).doesNotThrowAnyException();
    }
}
