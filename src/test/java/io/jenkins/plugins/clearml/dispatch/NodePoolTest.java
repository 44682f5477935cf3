package io.jenkins.plugins.clearml.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NodePoolTest {

    private static final QueueRef Q = new QueueRef("q1", "train");

    private static DispatchTemplate template(String label, int gpus) {
        return new DispatchTemplate("t" + gpus, List.of(Q), label, gpus, null, 0);
    }

    private static NodeSpec node(String name, int executors, String... gpus) {
        return new NodeSpec(name, Set.of("gpu"), executors, List.of(gpus));
    }

    @Test
    void dividesGpusAmongRunsWithoutEverSharingOne() {
        NodePool pool = new NodePool();
        pool.put(node("n1", 8, "0", "1", "2", "3"));
        DispatchTemplate two = template("gpu", 2);

        Placement a = pool.reserve(two).orElseThrow();
        Placement b = pool.reserve(two).orElseThrow();

        assertThat(a.gpus()).containsExactly("0", "1");
        assertThat(b.gpus()).containsExactly("2", "3");
        assertThat(pool.reserve(two)).isEmpty();
        assertThat(a.workerId()).isEqualTo("n1:gpu0,1");
        assertThat(b.workerId()).isEqualTo("n1:gpu2,3");

        pool.release(two, a);
        assertThat(pool.reserve(two).orElseThrow().gpus()).containsExactly("0", "1");
    }

    @Test
    void executorsLimitRunsEvenWithFreeGpus() {
        NodePool pool = new NodePool();
        pool.put(node("n1", 1, "0", "1"));
        assertThat(pool.reserve(template("", 1))).isPresent();
        assertThat(pool.reserve(template("", 1))).isEmpty();
    }

    @Test
    void cpuRunsGetDistinctWorkerIdsOnOneMachine() {
        NodePool pool = new NodePool();
        pool.put(node("host", 3));
        DispatchTemplate cpu = template("", 0);
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            ids.add(pool.reserve(cpu).orElseThrow().workerId());
        }
        assertThat(ids).containsExactlyInAnyOrder("host:cpu:0", "host:cpu:1", "host:cpu:2");
        assertThat(pool.reserve(cpu)).isEmpty();
    }

    @Test
    void bestFitKeepsWholeMachinesFreeForBigRuns() {
        NodePool pool = new NodePool();
        pool.put(node("big", 8, "0", "1", "2", "3"));
        pool.put(node("half", 8, "0", "1", "2", "3"));
        DispatchTemplate one = template("", 1);
        DispatchTemplate four = template("", 4);
        Placement first = pool.reserve(one).orElseThrow();
        // the second single-GPU run goes to the node already in use
        assertThat(pool.reserve(one).orElseThrow().node()).isEqualTo(first.node());
        assertThat(pool.reserve(four)).isPresent();
    }

    @Test
    void labelsSelectNodes() {
        NodePool pool = new NodePool();
        pool.put(new NodeSpec("a100", Set.of("gpu", "a100"), 2, List.of("0")));
        pool.put(new NodeSpec("cpu1", Set.of("linux"), 2, List.of()));
        assertThat(pool.reserve(template("gpu && a100", 1)).orElseThrow().node()).isEqualTo("a100");
        assertThat(pool.reserve(template("linux", 0)).orElseThrow().node()).isEqualTo("cpu1");
        assertThat(pool.reserve(template("h100 || linux", 0)).orElseThrow().node()).isEqualTo("cpu1");
        assertThat(pool.reserve(template("h100", 0))).isEmpty();
    }

    @Test
    void offlineNodesTakeNoRunsAndReportSince() {
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        NodePool pool = new NodePool(LabelMatcher.SIMPLE, Clock.fixed(t0, ZoneOffset.UTC));
        pool.put(node("n1", 2, "0", "1"));
        Placement p = pool.reserve(template("", 1)).orElseThrow();
        pool.setOnline("n1", false);
        assertThat(pool.reserve(template("", 1))).isEmpty();
        assertThat(pool.offlineSince("n1")).contains(t0);
        // a node that disappears while a run holds it stays known as offline
        pool.sync(List.of(), List.of());
        assertThat(pool.offlineSince("n1")).contains(t0);
        pool.release(template("", 1), p);
        pool.sync(List.of(), List.of());
        assertThat(pool.offlineSince("n1")).isEqualTo(Optional.of(Instant.EPOCH));
        assertThat(pool.usage()).isEmpty();
    }

    @Test
    void manyRunsNeverOverlap() {
        NodePool pool = new NodePool();
        for (int n = 0; n < 10; n++) {
            pool.put(node("n" + n, 8, "0", "1", "2", "3", "4", "5", "6", "7"));
        }
        List<DispatchTemplate> mix = List.of(template("", 1), template("", 2), template("", 4), template("", 3));
        List<Placement> held = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            DispatchTemplate t = mix.get(i % mix.size());
            pool.reserve(t).ifPresent(held::add);
            if (i % 3 == 0 && !held.isEmpty()) {
                Placement p = held.remove(i % held.size());
                pool.release(mix.get(0), p);
            }
            Set<String> inUse = new HashSet<>();
            for (Placement p : held) {
                for (String g : p.gpus()) {
                    assertThat(inUse.add(p.node() + "/" + g)).as("GPU %s/%s given twice", p.node(), g).isTrue();
                }
            }
        }
    }

    @Test
    void rejectsBadInput() {
        assertThatThrownBy(() -> new NodeSpec("n", Set.of(), 1, List.of("0", "0")))
                .hasMessageContaining("names a GPU twice");
        assertThatThrownBy(() -> new DispatchTemplate("t", List.of(), "", 1, null, 0))
                .hasMessageContaining("serves no queue");
        assertThat(GpuDetector.parseList("0-2,5,1:1")).containsExactly("0", "1", "2", "5", "1:1");
        assertThatThrownBy(() -> GpuDetector.parseList("0,x")).hasMessageContaining("'x' is not a GPU index");
        assertThat(new Placement("h", List.of("0:1", "0:2"), -1).workerId()).isEqualTo("h:gpu0.1,0.2");
    }

    @Test
    void labelAdmissionLetsALimitedNumberWaitForANode() {
        NodePool pool = new NodePool();
        LabelAdmission admission = new LabelAdmission(pool, 2);
        DispatchTemplate t = template("gpu", 1);
        // no node at all: two runs may wait for one to be provisioned, the third may not
        Placement w1 = admission.reserve(t).orElseThrow();
        admission.reserve(t).orElseThrow();
        assertThat(admission.reserve(t)).isEmpty();
        assertThat(admission.wouldWaitForNode(t)).isTrue();
        // a node with one GPU appears: one run is bound to it, and room opens for one more waiting run
        pool.put(node("k8s-1", 4, "0"));
        assertThat(admission.bind(t, w1, "k8s-1").orElseThrow().gpus()).containsExactly("0");
        assertThat(admission.waiting(t)).isEqualTo(1);
        assertThat(admission.reserve(t)).isPresent();
        assertThat(admission.reserve(t)).isEmpty();
        // binding to a node without a free GPU is refused, the reservation stays
        assertThat(admission.bind(t, Placement.unbound(), "k8s-1")).isEmpty();
        assertThat(admission.waiting(t)).isEqualTo(2);
    }
}
