package io.jenkins.plugins.clearml.python;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.clearml.node.LocalNode;
import io.jenkins.plugins.clearml.node.ProcessSpec;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ProcessOutputTest {

    @Test
    void streamsEveryLineAndKeepsTheLastOnes() throws Exception {
        List<String> console = new CopyOnWriteArrayList<>();
        ProcessOutput.Result result = ProcessOutput.stream(LocalNode.get(),
                ProcessSpec.of("sh", "-c", "for i in $(seq 1 50); do echo line $i; done; echo oops >&2; exit 3"),
                console::add);

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(console).hasSize(51).startsWith("line 1").endsWith("oops");
        assertThat(result.tail()).hasSize(40).endsWith("line 50", "oops");
    }

    @Test
    void anInterruptKillsASilentCommand() throws Exception {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        List<String> console = new CopyOnWriteArrayList<>();
        Thread runner = new Thread(() -> {
            try {
                ProcessOutput.stream(LocalNode.get(), ProcessSpec.of("sh", "-c", "echo started; exec sleep 600"),
                        console::add);
            } catch (Throwable t) {
                thrown.set(t);
            }
        });
        runner.start();
        while (console.isEmpty()) {
            Thread.sleep(20);
        }
        long sleepers = countSleep600();
        runner.interrupt();
        runner.join(30_000);

        assertThat(runner.isAlive()).isFalse();
        assertThat(thrown.get()).isInstanceOf(InterruptedException.class);
        for (int i = 0; i < 100 && countSleep600() >= sleepers; i++) {
            Thread.sleep(100); // the kill is immediate; the JVM reaps the process asynchronously
        }
        assertThat(countSleep600()).isEqualTo(sleepers - 1);
    }

    private static long countSleep600() {
        return ProcessHandle.current().descendants()
                .filter(p -> p.isAlive() && p.info().commandLine().orElse("").contains("sleep 600")).count();
    }
}
