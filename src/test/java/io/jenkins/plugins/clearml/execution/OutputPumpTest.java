package io.jenkins.plugins.clearml.execution;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.clearml.client.LogEvent;
import io.jenkins.plugins.clearml.logs.LogForwarder;
import io.jenkins.plugins.clearml.logs.LogSink;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputPumpTest {

    @TempDir
    Path spill;

    @Test
    void napsWhileATaskPrintingLineByLineFillsAQuarterOfThePipeAtMost2Ms() {
        // python -u at about 7 MB/s: 14 KB gathered in a 2 ms nap, so the next nap is the longest
        assertThat(OutputPump.napNanos(2_050_000, 14_000)).isEqualTo(2_000_000);
        // 30 KB in 0.3 ms (100 MB/s): a quarter of the pipe (16 KiB) takes 0.16 ms at that rate
        assertThat(OutputPump.napNanos(300_000, 30_000)).isEqualTo(300_000L * 16_384 / 30_000);
        // faster still: no nap worth its wake-up
        assertThat(OutputPump.napNanos(20_000, 60_000)).isZero();
        // a task that printed one line after a long pause
        assertThat(OutputPump.napNanos(5_000_000_000L, 12)).isEqualTo(2_000_000);
    }

    @Test
    void aRealProcessOutputReachesConsoleAndLogWholeAndInOrder() throws Exception {
        String script = "import sys\n"
                + "for i in range(200000):\n"
                + "    print('line %d' % i)\n"
                + "    if i % 50000 == 0:\n"
                + "        sys.stdout.write('  0%\\r 50%\\r100%\\n')\n"
                + "sys.stdout.write('no line break at the end')\n";
        Process p = new ProcessBuilder("python3", "-u", "-c", script).redirectErrorStream(true).start();
        List<String> console = new ArrayList<>();
        List<LogEvent> stored = new ArrayList<>();
        LogSink sink = new LogSink() {
            @Override
            public synchronized void send(List<LogEvent> events) {
                stored.addAll(events);
            }
        };
        try (LogForwarder forwarder = LogForwarder.builder(sink, "t", "w").spillDir(spill).build()) {
            Console collecting = new Console() {
                @Override
                public synchronized void line(String line) {
                    console.add(line);
                }
            };
            OutputPump pump = new OutputPump(p.getInputStream(), new RunLog(collecting, forwarder));
            Thread t = new Thread(pump);
            t.start();
            assertThat(p.waitFor()).isZero();
            t.join(30_000);
            assertThat(t.isAlive()).isFalse();
            assertThat(forwarder.drain(Duration.ofSeconds(10))).isTrue();
        }
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 200_000; i++) {
            expected.add("line " + i);
            if (i % 50_000 == 0) {
                expected.add("100%");
            }
        }
        expected.add("no line break at the end");
        assertThat(console).isEqualTo(expected);
        List<String> logged = new ArrayList<>();
        synchronized (sink) {
            for (LogEvent e : stored) {
                logged.addAll(Arrays.asList(e.msg().substring(0, e.msg().length() - 1).split("\n", -1)));
            }
        }
        assertThat(logged).isEqualTo(expected);
    }
}
