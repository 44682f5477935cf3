package io.jenkins.plugins.clearml.localserver;

import io.jenkins.plugins.clearml.client.ClearMLClient;
import io.jenkins.plugins.clearml.client.ClientSettings;
import io.jenkins.plugins.clearml.client.LogEvent;
import io.jenkins.plugins.clearml.client.ServerEndpoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Load on the local server through the real client (not a unit test; run by hand, numbers in
 * docs/clearml-api-client.md): 10,000 tasks created and enqueued, drained by 100 simulated nodes, 100 nodes polling
 * an empty queue, and 1,000,000 console lines forwarded.
 */
public final class LocalServerBenchmark {

    private LocalServerBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int tasks = intArg(args, 0, 10_000);
        int nodes = intArg(args, 1, 100);
        int lines = intArg(args, 2, 1_000_000);
        try (LocalClearMLServer server = new LocalClearMLServer().start()) {
            ClientSettings base = ClientSettings.of(ServerEndpoint.of(server.apiUrl()), server.credentials(), "bench");
            String queue = server.defaultQueueId();

            // 1. create and enqueue over HTTP, 10 threads
            long t0 = System.nanoTime();
            runParallel(10, i -> {
                try (ClearMLClient c = new ClearMLClient(base.withWorkerId("creator-" + i))) {
                    for (int n = i; n < tasks; n += 10) {
                        String id = c.createTask(Map.of("name", "bench task " + n));
                        c.enqueue(id, queue, "bench");
                    }
                }
                return 0L;
            });
            report("create+enqueue", tasks * 2L, t0);

            // 2. 100 nodes drain the queue: get_next_task, started, completed
            t0 = System.nanoTime();
            AtomicLong calls = new AtomicLong();
            long done = runParallel(nodes, i -> {
                long mine = 0;
                try (ClearMLClient c = new ClearMLClient(base.withWorkerId("node-" + i))) {
                    while (true) {
                        calls.incrementAndGet();
                        Optional<String> next = c.getNextTask(queue);
                        if (next.isEmpty()) {
                            return mine;
                        }
                        c.started(next.get(), "", "pulled by agent", true);
                        c.completed(next.get(), "", "");
                        calls.addAndGet(2);
                        mine++;
                    }
                }
            });
            report("drain by " + nodes + " nodes (" + done + " tasks)", calls.get(), t0);

            // 3. 100 nodes polling an empty queue for 10 s
            t0 = System.nanoTime();
            long deadline = System.nanoTime() + 10_000_000_000L;
            long polls = runParallel(nodes, i -> {
                long n = 0;
                try (ClearMLClient c = new ClearMLClient(base.withWorkerId("poller-" + i))) {
                    while (System.nanoTime() < deadline) {
                        c.getNextTask(queue);
                        n++;
                    }
                }
                return n;
            });
            report("empty-queue polls by " + nodes + " nodes", polls, t0);

            // 4. 1,000,000 console lines: 10 tasks, 10 senders, 100 lines of ~80 chars per event, 1 MiB packets
            List<String> logTasks = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                logTasks.add(server.createTask("log task " + i));
            }
            String line = "epoch 12 step 3456: loss=0.123456 acc=0.987654 lr=0.000100 throughput=1234.5 img/s";
            t0 = System.nanoTime();
            runParallel(10, i -> {
                String task = logTasks.get(i);
                try (ClearMLClient c = new ClearMLClient(base.withWorkerId("sender-" + i))) {
                    long ts = 1_700_000_000_000L;
                    int perTask = lines / 10;
                    List<LogEvent> batch = new ArrayList<>();
                    StringBuilder msg = new StringBuilder();
                    for (int n = 0; n < perTask; n++) {
                        msg.append(line).append('\n');
                        if ((n + 1) % 100 == 0 || n == perTask - 1) {
                            batch.add(new LogEvent(task, "sender-" + i, "info", msg.toString(), ts++));
                            msg.setLength(0);
                        }
                        if (batch.size() == 100) {
                            c.addLogEvents(batch);
                            batch.clear();
                        }
                    }
                    if (!batch.isEmpty()) {
                        c.addLogEvents(batch);
                    }
                }
                return 0L;
            });
            report("console lines forwarded", lines, t0);
            long stored = 0;
            for (String t : logTasks) {
                stored += server.logLines(t).size();
            }
            System.out.printf("lines stored: %d; events.add_batch requests: %d%n", stored,
                    server.requestCount("events.add_batch"));
        }
    }

    private interface Job {
        long run(int index) throws Exception;
    }

    private static long runParallel(int threads, Job job) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Long>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                int index = i;
                futures.add(pool.submit(() -> job.run(index)));
            }
            long sum = 0;
            for (Future<Long> f : futures) {
                sum += f.get();
            }
            return sum;
        } finally {
            pool.shutdown();
        }
    }

    private static void report(String what, long count, long startNanos) {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        System.out.printf("%-45s %,10d in %6.2f s = %,10.0f /s%n", what, count, seconds, count / seconds);
    }

    private static int intArg(String[] args, int i, int fallback) {
        return args.length > i ? Integer.parseInt(args[i]) : fallback;
    }
}
