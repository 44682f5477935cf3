package io.jenkins.plugins.clearml.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * 100 simulated nodes with 8 GPUs each, 20 queues, 10,000 short tasks, through real HTTP to the in-process
 * server: every task runs exactly once and ends completed, no GPU is ever given to two runs, queue priority holds
 * within each template, and every worker is unregistered at the end.
 */
class DispatcherScaleTest {

    static final int NODES = 100;
    static final int GPUS = 8;
    static final int QUEUES = 20;
    static final int TASKS = 10_000;

    @Test
    void tenThousandTasksOnHundredNodesRunExactlyOnceWithoutSharingAGpu() throws Exception {
        try (DispatchFixture fx = new DispatchFixture(Duration.ofSeconds(30))) {
            List<QueueRef> queues = new ArrayList<>();
            for (int i = 0; i < QUEUES; i++) {
                queues.add(fx.queue(String.format("q%02d", i)));
            }
            long setup = System.nanoTime();
            List<String> tasks = new ArrayList<>();
            for (QueueRef q : queues) {
                tasks.addAll(fx.enqueue(q, TASKS / QUEUES));
            }
            System.err.printf("scale: setup %.1f s%n", (System.nanoTime() - setup) / 1e9);
            // three templates with different GPU needs share the nodes
            List<DispatchTemplate> templates = List.of(
                    new DispatchTemplate("one-gpu", queues.subList(0, 10), "gpu", 1, null, 0),
                    new DispatchTemplate("two-gpus", queues.subList(10, 16), "gpu", 2, null, 0),
                    new DispatchTemplate("four-gpus", queues.subList(16, 20), "gpu", 4, null, 0));
            NodePool pool = new NodePool();
            for (int i = 0; i < NODES; i++) {
                pool.put(DispatchFixture.node(String.format("node%03d", i), GPUS));
            }
            try (SimulatedTaskRunner runner = new SimulatedTaskRunner(fx.client, Duration.ofMillis(20), 8);
                    Dispatcher dispatcher = new Dispatcher(fx.client, pool, runner, templates,
                            DispatchSettings.defaults().withPollInterval(Duration.ofMillis(100)), null,
                            Clock.systemUTC())) {
                long t0 = System.nanoTime();
                dispatcher.start();
                DispatcherTest.awaitTrue(() -> runner.completed.get() == TASKS || !runner.violations.isEmpty(),
                        Duration.ofSeconds(120), () -> "(completed " + runner.completed.get() + ", in hand "
                                + dispatcher.inHand() + ", " + dispatcher.status().lastError() + ")");
                System.err.printf("scale: %d tasks in %.1f s, requests %s%n", TASKS, (System.nanoTime() - t0) / 1e9,
                        fx.server.requestCounts());
                assertThat(dispatcher.awaitIdle(Duration.ofSeconds(30))).isTrue();

                assertThat(runner.violations).isEmpty();
                assertThat(runner.runsPerTask).hasSize(TASKS);
                assertThat(runner.runsPerTask.values()).allMatch(n -> n.get() == 1);
                assertThat(tasks).allMatch(t -> fx.status(t).equals("completed"));
                assertThat(dispatcher.status().returnedToQueue()).isZero();
                assertPriorityWithinTemplates(runner.handedOver, templates);
                assertThat(fx.server.workers()).isEmpty();
                assertThat(pool.usage()).allMatch(n -> n.runs() == 0 && n.busyGpus().isEmpty());
            }
        }
    }

    /** Within a template, no task of a later queue was handed over before the last task of an earlier one. */
    static void assertPriorityWithinTemplates(List<PlacedTask> handedOver, List<DispatchTemplate> templates) {
        for (DispatchTemplate t : templates) {
            Map<String, Integer> rank = new HashMap<>();
            for (int i = 0; i < t.queues().size(); i++) {
                rank.put(t.queues().get(i).id(), i);
            }
            int highest = 0;
            for (PlacedTask p : handedOver) {
                if (p.template().name().equals(t.name())) {
                    int r = rank.get(p.queue().id());
                    assertThat(r).as("task of %s handed over after a task of a later queue", p.queue()).isGreaterThanOrEqualTo(highest);
                    highest = r;
                }
            }
        }
    }
}
