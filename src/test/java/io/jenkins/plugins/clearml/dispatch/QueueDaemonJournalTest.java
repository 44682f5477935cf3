package io.jenkins.plugins.clearml.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The daemon's hand-off journal: where it lives, and a daemon killed between pop and claim. */
class QueueDaemonJournalTest {

    @TempDir
    Path home;

    private static QueueDaemon.Options options(List<String> gpus) {
        return new QueueDaemon.Options("box 1", List.of("train"), gpus, gpus.isEmpty() ? 0 : 1, null,
                QueueOrder.PRIORITY, Duration.ofMillis(100));
    }

    @Test
    void oneJournalPerWorkerNameAndGpuSetUnderTheAgentsFolder() {
        assertThat(QueueDaemon.journalFile(home, options(List.of("0", "1"))))
                .isEqualTo(home.resolve(".clearml/daemon-box_1-gpu0_1.json"));
        assertThat(QueueDaemon.journalFile(home, options(List.of())))
                .isEqualTo(home.resolve(".clearml/daemon-box_1-cpu.json"));
    }

    @Test
    void aDaemonKilledBetweenPopAndClaimReturnsTheTaskWhenItStartsAgain() throws Exception {
        try (DispatchFixture fx = new DispatchFixture()) {
            QueueRef q = fx.queue("train");
            List<String> tasks = fx.enqueue(q, 2);
            QueueDaemon.Options options = options(List.of("0"));
            Path journal = QueueDaemon.journalFile(home, options);
            TaskRunner neverStarts = (task, start) -> DispatcherTest.handle(new CompletableFuture<>());
            QueueDaemon killed = new QueueDaemon(fx.client, options, neverStarts, null, journal);
            killed.dispatcher().tick();
            assertThat(Files.readString(journal)).contains(tasks.get(0));
            Path disk = Files.createDirectories(home.resolve("after-kill")).resolve(journal.getFileName());
            Files.copy(journal, disk);

            try (SimulatedTaskRunner runner = new SimulatedTaskRunner(fx.client, Duration.ofMillis(50), 2);
                    QueueDaemon next = new QueueDaemon(fx.client, options, runner, null, disk)) {
                next.start();
                DispatcherTest.awaitTrue(() -> tasks.stream().allMatch(id -> fx.status(id).equals("completed")));
                assertThat(runner.handedOver.get(0).taskId()).isEqualTo(tasks.get(0));
                assertThat(runner.runsPerTask.values()).allMatch(n -> n.get() == 1);
            } finally {
                killed.close();
            }
        }
    }
}
