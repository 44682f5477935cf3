package io.jenkins.plugins.clearml.logs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConsoleLineSplitterTest {

    private final List<String> lines = new ArrayList<>();
    private final ConsoleLineSplitter splitter = new ConsoleLineSplitter(lines::add);

    private void feed(String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        splitter.feed(b, 0, b.length);
    }

    @Test
    void splitsOnLineFeedsAcrossChunks() {
        feed("first\nsec");
        feed("ond\n\nthird");
        assertThat(lines).containsExactly("first", "second", "");
        splitter.finish();
        assertThat(lines).containsExactly("first", "second", "", "third");
    }

    @Test
    void progressBarCollapsesToItsLastState() {
        feed("epoch 1:  10%\repoch 1:  50%\repoch 1: 100%\r\n");
        feed("done\n");
        assertThat(lines).containsExactly("epoch 1: 100%", "done");
    }

    @Test
    void pendingProgressIsEmittedOnTickAndNotRepeated() {
        feed("  0%\r 40%\r");
        splitter.emitPendingProgress();
        assertThat(lines).containsExactly(" 40%");
        splitter.emitPendingProgress();
        feed("\n");
        assertThat(lines).containsExactly(" 40%");
        feed(" 70%\r100%\n");
        assertThat(lines).containsExactly(" 40%", "100%");
    }

    @Test
    void plainPartialLineIsNotEmittedOnTick() {
        feed("waiting for");
        splitter.emitPendingProgress();
        assertThat(lines).isEmpty();
    }

    @Test
    void backspacesAreDroppedAndUtf8IsDecoded() {
        feed("ab\bc \u00e9t\u00e9 \u2713\n");
        assertThat(lines).containsExactly("abc \u00e9t\u00e9 \u2713");
    }

    @Test
    void endlessLineIsCutWithoutSplittingACharacter() {
        String chunk = "a" + "\u00e9".repeat(ConsoleLineSplitter.MAX_LINE_BYTES); // two bytes each, after one
        feed(chunk + "\n");
        assertThat(lines.size()).isEqualTo(3);
        assertThat(String.join("", lines).equals(chunk)).as("nothing lost or changed").isTrue();
        assertThat(lines.stream().noneMatch(l -> l.contains("\ufffd"))).as("no character split").isTrue();
        assertThat(lines.get(0).getBytes(StandardCharsets.UTF_8).length).isEqualTo(ConsoleLineSplitter.MAX_LINE_BYTES - 1);
    }
}
