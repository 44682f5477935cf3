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

    @Test
    void plainLinesComeAsOneRunPerRead() {
        List<String> calls = new ArrayList<>();
        ConsoleLineSplitter runs = new ConsoleLineSplitter(new LineSink() {
            @Override
            public void line(String line) {
                calls.add("line:" + line);
            }

            @Override
            public void lines(String text, int count) {
                calls.add("lines(" + count + "):" + text);
            }
        });
        byte[] read = "epoch 1\nepoch 2\nép 3\nloss 0.".getBytes(StandardCharsets.UTF_8);
        runs.feed(read, 0, read.length);
        byte[] next = "5\n 10%\r100%\nok\n".getBytes(StandardCharsets.UTF_8);
        runs.feed(next, 0, next.length);

        assertThat(calls).containsExactly("lines(3):epoch 1\nepoch 2\nép 3\n", "line:loss 0.5", "line:100%",
                "lines(1):ok\n");
    }

    @Test
    void readsCutAnywhereGiveTheSameLinesAsOneByteAtATime() {
        java.util.Random random = new java.util.Random(20261207);
        byte[][] pieces = {"a".getBytes(StandardCharsets.UTF_8), "line 42 ".getBytes(StandardCharsets.UTF_8),
                "é✓🚀".getBytes(StandardCharsets.UTF_8), {'\n'}, {'\n'}, {'\n'}, {'\r'}, {'\b'}, {(byte) 0xE2},
                {(byte) 0xFF}, "\r\n".getBytes(StandardCharsets.UTF_8)};
        for (int round = 0; round < 200; round++) {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            int size = random.nextInt(4000);
            while (out.size() < size) {
                byte[] p = random.nextInt(500) == 0 ? "z".repeat(70_000).getBytes(StandardCharsets.UTF_8)
                        : pieces[random.nextInt(pieces.length)];
                out.write(p, 0, p.length);
            }
            byte[] input = out.toByteArray();

            List<String> byteWise = new ArrayList<>();
            ConsoleLineSplitter one = new ConsoleLineSplitter(byteWise::add);
            for (int i = 0; i < input.length; i++) {
                one.feed(input, i, 1);
            }
            one.finish();

            List<String> chunked = new ArrayList<>();
            ConsoleLineSplitter reads = new ConsoleLineSplitter(chunked::add);
            for (int i = 0; i < input.length; ) {
                int n = Math.min(input.length - i, 1 + random.nextInt(random.nextBoolean() ? 16 : 70_000));
                reads.feed(input, i, n);
                i += n;
            }
            reads.finish();

            assertThat(chunked).as("round %d", round).isEqualTo(byteWise);
        }
    }
}
