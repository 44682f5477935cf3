package io.jenkins.plugins.clearml.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Node loss and server outage in the middle of runs: no task lost, none run twice. */
class DispatcherFailureTest {

    private static DispatchSettings settings(NodeLossPolicy policy) {
        return DispatchSettings.defaults().withPollInterval(Duration.ofMillis(100))
                .withNodeLoss(Duration.ofMillis(300), policy);
    }

    @Test
    void theTasksOfANodeThatDiesAreFailedWithTheReason() throws Exception {
        try (DispatchFixture fx = new DispatchFixture()) {
            QueueRef q = fx.queue("train");
            List<String> tasks = fx.enqueue(q, 12);
            NodePool pool = new NodePool();
            pool.put(DispatchFixture.node("n1", 2));
            pool.put(DispatchFixture.node("n2", 2));
            DispatchTemplate t = new DispatchTemplate("t", List.of(q), "gpu", 1, null, 0);
            try (SimulatedTaskRunner runner = new SimulatedTaskRunner(fx.client, Duration.ofMillis(400), 4);
                    Dispatcher d = new Dispatcher(fx.client, pool, runner, List.of(t), settings(NodeLossPolicy.FAIL),
                            null, Clock.systemUTC())) {
                d.start();
                DispatcherTest.awaitTrue(() -> runner.runningOn("n1") == 2);
                List<String> onN1 = claimedOn(runner, "n1");
                runner.kill("n1");
                pool.setOnline("n1", false); // what the node monitor (Jenkins computer offline) reports

                DispatcherTest.awaitTrue(() -> tasks.stream().allMatch(id -> isFinal(fx.status(id))));
                assertThat(d.awaitIdle(Duration.ofSeconds(10))).isTrue();

                for (String id : tasks) {
                    if (onN1.contains(id)) {
                        assertThat(fx.status(id)).isEqualTo("failed");
                        assertThat(fx.server.task(id).statusReason()).startsWith("Node lost: node n1 went offline at ");
                    } else {
                        assertThat(fx.status(id)).isEqualTo("completed");
                    }
                }
                assertThat(onN1).hasSize(2);
                assertThat(runner.violations).isEmpty();
                assertThat(runner.runsPerTask.values()).allMatch(n -> n.get() == 1);
                assertThat(d.status().lostToNodes()).isEqualTo(2);
                assertThat(fx.server.workers()).isEmpty();
            }
        }
    }

    @Test
    void withTheRequeuePolicyALostTaskRunsAgainElsewhere() throws Exception {
        try (DispatchFixture fx = new DispatchFixture()) {
            QueueRef q = fx.queue("train");
            List<String> tasks = fx.enqueue(q, 4);
            NodePool pool = new NodePool();
            pool.put(DispatchFixture.node("n1", 1));
            pool.put(DispatchFixture.node("n2", 1));
            DispatchTemplate t = new DispatchTemplate("t", List.of(q), "gpu", 1, null, 0);
            try (SimulatedTaskRunner runner = new SimulatedTaskRunner(fx.client, Duration.ofMillis(300), 4);
                    Dispatcher d = new Dispatcher(fx.client, pool, runner, List.of(t), settings(NodeLossPolicy.REQUEUE),
                            null, Clock.systemUTC())) {
                d.start();
                DispatcherTest.awaitTrue(() -> runner.runningOn("n1") == 1);
                String lost = claimedOn(runner, "n1").get(0);
                runner.kill("n1");
                pool.setOnline("n1", false);

                DispatcherTest.awaitTrue(() -> tasks.stream().allMatch(id -> fx.status(id).equals("completed")));
                assertThat(runner.runsPerTask.get(lost).get()).isEqualTo(2);
                assertThat(runner.claims.get(lost).placement().node()).isEqualTo("n2");
            }
        }
    }

    @Test
    void aServerOutageMidRunLosesNothing() throws Exception {
        try (DispatchFixture fx = new DispatchFixture(Duration.ofSeconds(20))) {
            QueueRef q = fx.queue("train");
            List<String> tasks = new ArrayList<>(fx.enqueue(q, 8));
            NodePool pool = new NodePool();
            pool.put(DispatchFixture.node("n1", 2));
            pool.put(DispatchFixture.node("n2", 2));
            DispatchTemplate t = new DispatchTemplate("t", List.of(q), "gpu", 1, null, 0);
            try (SimulatedTaskRunner runner = new SimulatedTaskRunner(fx.client, Duration.ofMillis(600), 4);
                    Dispatcher d = new Dispatcher(fx.client, pool, runner, List.of(t), settings(NodeLossPolicy.FAIL),
                            null, Clock.systemUTC())) {
                d.start();
                DispatcherTest.awaitTrue(() -> runner.claims.size() == 4);
                fx.server.refuseConnectionsFor(Duration.ofSeconds(2));
                tasks.addAll(fx.enqueue(q, 4)); // work arrives during the outage (state access, not HTTP)

                DispatcherTest.awaitTrue(() -> tasks.stream().allMatch(id -> fx.status(id).equals("completed")));
                assertThat(d.awaitIdle(Duration.ofSeconds(10))).isTrue();
                assertThat(runner.violations).isEmpty();
                assertThat(runner.runsPerTask).hasSize(tasks.size());
                assertThat(runner.runsPerTask.values()).allMatch(n -> n.get() == 1);
                assertThat(fx.server.queueTaskIds(q.id())).isEmpty();
            }
        }
    }

    private static List<String> claimedOn(SimulatedTaskRunner runner, String node) {
        return runner.claims.values().stream().filter(c -> c.placement().node().equals(node))
                .map(ClaimedRun::taskId).toList();
    }

    private static boolean isFinal(String status) {
        return status.equals("completed") || status.equals("failed");
    }
}
