package io.jenkins.plugins.clearml.dispatch;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Measures the dispatch core against the in-process ClearML server with simulated nodes (not a test: numbers go
 * to docs/benchmarks.md with the command that produced them). Run it with {@code scripts/benchmark-dispatch.sh}.
 *
 * <pre>
 * idle      requests/s to the server while N nodes are idle (N = 10, 100, 1000), and controller CPU
 * latency   enqueue-to-started (tasks.started done) for tasks enqueued one at a time onto idle nodes
 * throughput 10,000 short tasks on 100 nodes x 8 GPUs, 20 queues: tasks/s, requests per task, heap
 * </pre>
 *
 * Options: {@code --poll-ms 500 --idle-seconds 10 --tasks 10000 --run-ms 20 --latency-tasks 60}.
 */
public final class DispatchBenchmark {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            opts.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        Duration poll = Duration.ofMillis(Long.parseLong(opts.getOrDefault("poll-ms", "500")));
        int idleSeconds = Integer.parseInt(opts.getOrDefault("idle-seconds", "10"));
        int tasks = Integer.parseInt(opts.getOrDefault("tasks", "10000"));
        Duration runTime = Duration.ofMillis(Long.parseLong(opts.getOrDefault("run-ms", "20")));
        int latencyTasks = Integer.parseInt(opts.getOrDefault("latency-tasks", "60"));
        System.out.printf(Locale.ROOT, "dispatch benchmark: %d cores, java %s, poll %d ms, load average %.1f%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), poll.toMillis(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        for (int nodes : new int[] {10, 100, 1000}) {
            idle(nodes, poll, idleSeconds);
        }
        latency(poll, latencyTasks);
        // Side by side, alternating (the first run of a JVM also warms its JIT): the Queue Cloud and the daemon keep
        // a hand-off journal (one durable write per round of pops); the bare core does not.
        for (int round = 0; round < 2; round++) {
            throughput(poll, tasks, runTime, round == 1);
            throughput(poll, tasks, runTime, round == 0);
        }
    }

    private static DispatchSettings settings(Duration poll) {
        return DispatchSettings.defaults().withPollInterval(poll);
    }

    private static List<QueueRef> queues(DispatchFixture fx, int n) {
        List<QueueRef> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(fx.queue(String.format("queue-%02d", i)));
        }
        return out;
    }

    private static NodePool pool(int nodes) {
        NodePool pool = new NodePool();
        for (int i = 0; i < nodes; i++) {
            pool.put(DispatchFixture.node(String.format("node%04d", i), 8));
        }
        return pool;
    }

    private static void idle(int nodes, Duration poll, int seconds) throws Exception {
        try (DispatchFixture fx = new DispatchFixture()) {
            List<QueueRef> queues = queues(fx, 20);
            try (SimulatedTaskRunner runner = new SimulatedTaskRunner(fx.client, Duration.ZERO, 8);
                    Dispatcher d = new Dispatcher(fx.client, pool(nodes), runner,
                            List.of(new DispatchTemplate("t", queues, "gpu", 1, null, 0)), settings(poll), null,
                            Clock.systemUTC())) {
                d.start();
                Thread.sleep(1000);
                fx.server.resetRequestCounts();
                Map<String, Long> cpu0 = cpuByGroup();
                long t0 = System.nanoTime();
                Thread.sleep(seconds * 1000L);
                double elapsed = (System.nanoTime() - t0) / 1e9;
                Map<String, Long> cpu1 = cpuByGroup();
                long requests = fx.server.requestCounts().values().stream().mapToLong(Long::longValue).sum();
                System.out.printf(Locale.ROOT, "idle      nodes=%4d gpus=%5d queues=20: %.2f requests/s (%s), "
                                + "controller CPU %.2f%% of one core%n",
                        nodes, nodes * 8, requests / elapsed, nonZero(fx.server.requestCounts()),
                        100.0 * (cpu1.get("controller") - cpu0.get("controller")) / 1e9 / elapsed);
            }
        }
    }

    private static void latency(Duration poll, int count) throws Exception {
        try (DispatchFixture fx = new DispatchFixture()) {
            List<QueueRef> queues = queues(fx, 20);
            Map<String, Long> enqueuedAt = new ConcurrentHashMap<>();
            try (SimulatedTaskRunner runner = new SimulatedTaskRunner(fx.client, Duration.ofMillis(50), 8);
                    Dispatcher d = new Dispatcher(fx.client, pool(100), runner,
                            List.of(new DispatchTemplate("t", queues, "gpu", 1, null, 0)), settings(poll), null,
                            Clock.systemUTC())) {
                d.start();
                Random random = new Random(42);
                List<String> ids = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    QueueRef q = queues.get(random.nextInt(queues.size()));
                    String id = fx.server.createTask("latency-" + i);
                    enqueuedAt.put(id, System.nanoTime());
                    fx.server.enqueue(id, q.id());
                    ids.add(id);
                    Thread.sleep(137 + random.nextInt(200)); // not in step with the poll
                }
                DispatcherTest.awaitTrue(() -> runner.completed.get() == count, Duration.ofSeconds(60), () -> "");
                double[] ms = ids.stream().mapToDouble(id -> (runner.startedAtNanos.get(id) - enqueuedAt.get(id)) / 1e6)
                        .sorted().toArray();
                System.out.printf(Locale.ROOT, "latency   enqueue-to-started over %d tasks on 100 idle nodes: median %.0f ms, "
                                + "p90 %.0f ms, max %.0f ms (poll interval %d ms)%n",
                        count, pct(ms, 50), pct(ms, 90), ms[ms.length - 1], poll.toMillis());
            }
        }
    }

    private static void throughput(Duration poll, int tasks, Duration runTime, boolean journal) throws Exception {
        Path journalDir = journal ? Files.createTempDirectory("dispatch-bench-journal") : null;
        try (DispatchFixture fx = new DispatchFixture(Duration.ofSeconds(60))) {
            List<QueueRef> queues = queues(fx, 20);
            for (QueueRef q : queues) {
                fx.enqueue(q, tasks / queues.size());
            }
            int total = tasks / queues.size() * queues.size();
            NodePool pool = pool(100);
            try (SimulatedTaskRunner runner = new SimulatedTaskRunner(fx.client, runTime, 8);
                    Dispatcher d = new Dispatcher(fx.client, pool, runner,
                            List.of(new DispatchTemplate("one-gpu", queues.subList(0, 10), "gpu", 1, null, 0),
                                    new DispatchTemplate("two-gpus", queues.subList(10, 16), "gpu", 2, null, 0),
                                    new DispatchTemplate("four-gpus", queues.subList(16, 20), "gpu", 4, null, 0)),
                            settings(poll), null, Clock.systemUTC())) {
                if (journal) {
                    d.keepHandOffJournal(journalDir.resolve("bench.json"), "the benchmark");
                }
                fx.server.resetRequestCounts();
                Map<String, Long> cpu0 = cpuByGroup();
                long t0 = System.nanoTime();
                d.start();
                DispatcherTest.awaitTrue(() -> runner.completed.get() == total, Duration.ofMinutes(10), () -> "");
                double elapsed = (System.nanoTime() - t0) / 1e9;
                Map<String, Long> cpu1 = cpuByGroup();
                long requests = fx.server.requestCounts().values().stream().mapToLong(Long::longValue).sum();
                MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
                System.gc();
                long heap = mem.getHeapMemoryUsage().getUsed();
                System.out.printf(Locale.ROOT, "throughput%s %d tasks (%d ms each) on 100 nodes x 8 GPUs, 20 queues: %.1f s, "
                                + "%.0f tasks/s, %.0f requests/s, %.1f requests/task (%s)%n",
                        journal ? " (hand-off journal on)" : "", total, runTime.toMillis(), elapsed, total / elapsed,
                        requests / elapsed, (double) requests / total,
                        nonZero(fx.server.requestCounts()));
                System.out.printf(Locale.ROOT, "           CPU seconds: controller %.1f (dispatcher, claims, reports, "
                                + "client; includes the simulated runs' tasks.completed), in-process server %.1f; "
                                + "heap used after GC %.0f MB (server state included), violations %d%n",
                        (cpu1.get("controller") - cpu0.get("controller")) / 1e9,
                        (cpu1.get("server") - cpu0.get("server")) / 1e9, heap / 1e6, runner.violations.size());
            }
        } finally {
            if (journalDir != null) {
                try (var files = Files.walk(journalDir)) {
                    files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
                }
            }
        }
    }

    private static Map<String, Long> nonZero(Map<String, Long> counts) {
        Map<String, Long> out = new java.util.TreeMap<>();
        counts.forEach((k, v) -> {
            if (v > 0) {
                out.put(k, v);
            }
        });
        return out;
    }

    private static double pct(double[] sorted, int p) {
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    /** CPU nanoseconds of live threads by group: the in-process server's, and everything else (the controller). */
    private static Map<String, Long> cpuByGroup() {
        Map<String, Long> out = new HashMap<>(Map.of("server", 0L, "controller", 0L));
        long[] ids = THREADS.getAllThreadIds();
        ThreadInfo[] infos = THREADS.getThreadInfo(ids);
        for (int i = 0; i < ids.length; i++) {
            if (infos[i] == null) {
                continue;
            }
            long cpu = THREADS.getThreadCpuTime(ids[i]);
            if (cpu < 0) {
                continue;
            }
            String name = infos[i].getThreadName();
            boolean server = name.startsWith("clearml-localserver") || name.startsWith("HTTP-Dispatcher");
            boolean jvm = Arrays.asList("main", "Reference Handler", "Finalizer", "Signal Dispatcher",
                    "Common-Cleaner", "Notification Thread").contains(name);
            if (!jvm) {
                out.merge(server ? "server" : "controller", cpu, Long::sum);
            }
        }
        return out;
    }
}
