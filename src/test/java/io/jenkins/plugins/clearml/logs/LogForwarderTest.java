package io.jenkins.plugins.clearml.logs;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.clearml.client.ClearMLException;
import io.jenkins.plugins.clearml.client.LogEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogForwarderTest {

    @TempDir
    Path spillDir;

    /** A sink that stores what it receives, and fails while {@code down} is set. */
    static final class FakeServer implements LogSink {
        final List<LogEvent> stored = new ArrayList<>();
        final AtomicBoolean down = new AtomicBoolean();
        final AtomicInteger calls = new AtomicInteger();
        volatile boolean refuse;

        @Override
        public synchronized void send(List<LogEvent> events) throws IOException {
            calls.incrementAndGet();
            if (refuse) {
                throw new ClearMLException("events.add_batch", 400, 12, "bad event");
            }
            if (down.get()) {
                throw new ClearMLException("events.add_batch", 503, 0, "service unavailable");
            }
            stored.addAll(events);
        }

        synchronized List<String> lines() {
            List<String> out = new ArrayList<>();
            for (LogEvent e : stored) {
                String msg = e.msg();
                assertThat(msg).endsWith("\n");
                out.addAll(Arrays.asList(msg.substring(0, msg.length() - 1).split("\n", -1)));
            }
            return out;
        }

        synchronized List<LogEvent> events() {
            return new ArrayList<>(stored);
        }
    }

    private LogForwarder forwarder(FakeServer server, long memoryBound) {
        return LogForwarder.builder(server, "task-1", "node7:0").spillDir(spillDir).memoryBoundChars(memoryBound)
                .flushInterval(Duration.ofMillis(50)).build();
    }

    @Test
    void deliversEveryLineInOrderWithIncreasingTimestamps() throws Exception {
        FakeServer server = new FakeServer();
        try (LogForwarder f = forwarder(server, 1 << 20)) {
            for (int i = 0; i < 10_000; i++) {
                f.debug("line " + i);
            }
            assertThat(f.drain(Duration.ofSeconds(10))).isTrue();
            assertThat(f.stats().linesStored()).isEqualTo(10_000);
        }
        List<String> lines = server.lines();
        assertThat(lines).hasSize(10_000);
        for (int i = 0; i < lines.size(); i++) {
            assertThat(lines.get(i)).isEqualTo("line " + i);
        }
        long last = Long.MIN_VALUE;
        for (LogEvent e : server.events()) {
            assertThat(e.timestampMillis()).isGreaterThan(last);
            last = e.timestampMillis();
            assertThat(e.task()).isEqualTo("task-1");
            assertThat(e.worker()).isEqualTo("node7:0");
            assertThat(e.msg().length()).isLessThanOrEqualTo(LogForwarder.MAX_MESSAGE_CHARS);
        }
    }

    @Test
    void keepsLinesThroughAnOutageWithoutLossOrDuplicates() throws Exception {
        FakeServer server = new FakeServer();
        try (LogForwarder f = forwarder(server, 4096)) {
            for (int i = 0; i < 1000; i++) {
                f.debug("before " + i);
            }
            assertThat(f.drain(Duration.ofSeconds(10))).isTrue();
            server.down.set(true);
            for (int i = 0; i < 5000; i++) {
                f.debug("during " + i);
                if (i % 1000 == 0) {
                    Thread.sleep(100);
                }
            }
            Thread.sleep(300);
            assertThat(f.stats().failedRequests()).isPositive();
            assertThat(f.stats().spilledBytes()).as("the small memory bound forces a spill").isPositive();
            server.down.set(false);
            for (int i = 0; i < 1000; i++) {
                f.debug("after " + i);
            }
            assertThat(f.drain(Duration.ofSeconds(30))).isTrue();
            assertThat(f.stats().linesDropped()).isZero();
        }
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            expected.add("before " + i);
        }
        for (int i = 0; i < 5000; i++) {
            expected.add("during " + i);
        }
        for (int i = 0; i < 1000; i++) {
            expected.add("after " + i);
        }
        assertThat(server.lines()).containsExactlyElementsOf(expected);
        try (var files = Files.list(spillDir)) {
            assertThat(files).as("the spill file is removed at close").isEmpty();
        }
    }

    @Test
    void splitsLongLinesIntoMessagesOfAtMost64K() throws Exception {
        FakeServer server = new FakeServer();
        String huge = "x".repeat(150_000);
        try (LogForwarder f = forwarder(server, 1 << 20)) {
            f.debug("short");
            f.debug(huge);
            f.debug("tail");
            assertThat(f.drain(Duration.ofSeconds(10))).isTrue();
        }
        for (LogEvent e : server.events()) {
            assertThat(e.msg().length()).isLessThanOrEqualTo(64 * 1024);
        }
        assertThat(String.join("", server.lines())).isEqualTo("short" + huge + "tail");
        assertThat(server.lines()).startsWith("short").endsWith("tail");
    }

    @Test
    void runsOfLinesFillMessagesUpTo64KAndAreCutOnlyBetweenLines() throws Exception {
        FakeServer server = new FakeServer();
        List<String> expected = new ArrayList<>();
        String longLine = "y".repeat(70_000); // longer than a message: cut in pieces, like a single line
        try (LogForwarder f = forwarder(server, 1 << 24)) {
            f.info("agent notice");
            expected.add("agent notice");
            int next = 0;
            for (int run = 0; run < 300; run++) { // runs of 1 to 700 lines, as reads of a task's output give them
                StringBuilder text = new StringBuilder();
                int count = 1 + (run * 37) % 700;
                for (int i = 0; i < count; i++) {
                    String line = "line " + next++;
                    text.append(line).append('\n');
                    expected.add(line);
                }
                f.logLines(LogLevel.DEBUG, text.toString(), count);
            }
            f.logLines(LogLevel.DEBUG, "before\n" + longLine + "\nafter\n", 3);
            assertThat(f.drain(Duration.ofSeconds(10))).isTrue();
            assertThat(f.stats().linesAccepted()).isEqualTo(1 + next + 3);
            assertThat(f.stats().linesPending()).isZero();
        }
        List<LogEvent> events = server.events();
        assertThat(events).allSatisfy(e -> assertThat(e.msg().length()).isLessThanOrEqualTo(64 * 1024));
        assertThat(events.get(0).level()).isEqualTo("INFO");
        assertThat(events.subList(1, events.size())).allSatisfy(e -> assertThat(e.level()).isEqualTo("DEBUG"));
        List<String> lines = server.lines();
        assertThat(lines.subList(0, expected.size())).as("every line once, in order, none cut").isEqualTo(expected);
        List<String> tail = lines.subList(expected.size(), lines.size());
        assertThat(tail.get(0)).isEqualTo("before");
        assertThat(String.join("", tail.subList(1, tail.size() - 1))).isEqualTo(longLine);
        assertThat(tail.get(tail.size() - 1)).isEqualTo("after");
        // the messages are full: about 2.3 MB of lines in as few 64 KiB messages as whole lines allow
        long plainMessages = events.stream().filter(e -> e.msg().startsWith("line ")).count();
        long chars = events.stream().filter(e -> e.msg().startsWith("line ")).mapToLong(e -> e.msg().length()).sum();
        assertThat(plainMessages).isLessThanOrEqualTo(chars / (64 * 1024 - 16) + 2);
    }

    @Test
    void separatesLevelsIntoTheirOwnEvents() throws Exception {
        FakeServer server = new FakeServer();
        try (LogForwarder f = forwarder(server, 1 << 20)) {
            f.info("agent notice");
            f.debug("task output 1");
            f.debug("task output 2");
            f.error("User aborted");
            assertThat(f.drain(Duration.ofSeconds(10))).isTrue();
        }
        assertThat(server.events()).extracting(LogEvent::level, LogEvent::msg).containsExactly(
                org.assertj.core.groups.Tuple.tuple("INFO", "agent notice\n"),
                org.assertj.core.groups.Tuple.tuple("DEBUG", "task output 1\ntask output 2\n"),
                org.assertj.core.groups.Tuple.tuple("ERROR", "User aborted\n"));
    }

    @Test
    void flushesWithinTheIntervalWithoutBeingAsked() throws Exception {
        FakeServer server = new FakeServer();
        try (LogForwarder f = forwarder(server, 1 << 20)) {
            f.debug("lonely line");
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (server.lines().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(server.lines()).containsExactly("lonely line");
        }
    }

    @Test
    void dropsABatchTheServerRefusesForGoodAndCountsIt() throws Exception {
        FakeServer server = new FakeServer();
        server.refuse = true;
        List<String> notices = new ArrayList<>();
        try (LogForwarder f = LogForwarder.builder(server, "t", "w").spillDir(spillDir)
                .flushInterval(Duration.ofMillis(50)).notices(notices::add).build()) {
            f.debug("refused");
            assertThat(f.drain(Duration.ofSeconds(10))).isTrue();
            assertThat(f.stats().linesDropped()).isEqualTo(1);
            assertThat(server.calls.get()).isEqualTo(1);
        }
        assertThat(notices).anySatisfy(n -> assertThat(n).contains("refused"));
    }

    @Test
    void drainGivesUpAfterItsTimeoutAndCloseCountsTheRestAsDropped() throws Exception {
        FakeServer server = new FakeServer();
        server.down.set(true);
        LogForwarder f = forwarder(server, 1 << 20);
        f.debug("never delivered");
        assertThat(f.drain(Duration.ofMillis(500))).isFalse();
        f.close();
        assertThat(f.stats().linesDropped()).isEqualTo(1);
        assertThat(server.lines()).isEmpty();
    }
}
