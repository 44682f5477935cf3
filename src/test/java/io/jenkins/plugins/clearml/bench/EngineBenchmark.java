package io.jenkins.plugins.clearml.bench;

import io.jenkins.plugins.clearml.localserver.LocalClearMLServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Issue 2's benchmarks (not a test: the numbers depend on the machine). Runs {@code execute --id} as users do, in its
 * own JVM, against the in-process server of this JVM, and prints:
 * <ol>
 *   <li>the time from starting {@code execute} to the task's first line on the console, with warm caches (repository
 *       cache and venv cache), for a task without requirements, and the total time for a 200-line task;</li>
 *   <li>forwarding a task that prints 1,000,000 lines: wall time against running the script directly (its output
 *       into /dev/null, into a pipe that a reader drains without looking at it, and into {@code cat}), the agent's
 *       peak heap (it runs with {@code -Xmx128m}; the peak is read from its GC log), requests sent, lines lost.</li>
 * </ol>
 * Profiling aids: {@code BENCH_VERBOSE} prints the agent's own console lines, timed; {@code BENCH_THREADS} the CPU
 * time of each of its threads; {@code BENCH_JAVA_OPTS} adds options to its JVM.
 * Run with {@code scripts/bench-engine.sh} (see docs/benchmarks.md).
 */
public final class EngineBenchmark {

    private static final String FIRST = """
            import sys
            n = int(sys.argv[1].split("=")[-1]) if len(sys.argv) > 1 else 200
            print("first line")
            for i in range(1, n):
                print("line %d" % i)
            """;

    /** Rounds of (b), each the script run directly three ways and then through {@code execute}. */
    private static final int ROUNDS_B = 5;

    private final Path work;
    private final Path home;
    private final String jar;
    private final LocalClearMLServer server;
    private final String repoUrl;

    private EngineBenchmark(Path work, String jar) throws Exception {
        this.work = work;
        this.home = Files.createDirectories(work.resolve("home"));
        this.jar = jar;
        this.server = new LocalClearMLServer().start();
        Path repo = Files.createDirectories(work.resolve("repo"));
        Files.writeString(repo.resolve("lines.py"), FIRST);
        sh(repo, "git", "init", "-q", "-b", "main");
        sh(repo, "git", "add", ".");
        sh(repo, "git", "-c", "user.name=bench", "-c", "user.email=bench@example.invalid", "commit", "-q", "-m", "bench");
        this.repoUrl = repo.toUri().toString();
    }

    public static void main(String[] args) throws Exception {
        // one jar, or several separated by commas to compare them side by side in (a); (b) uses the first
        List<String> jars = List.of((args.length > 0 ? args[0] : "target/clearml-agent-cli.jar").split(","));
        String jar = jars.get(0);
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int million = args.length > 2 ? Integer.parseInt(args[2]) : 1_000_000;
        Path work = Files.createTempDirectory("engine-bench");
        EngineBenchmark b = new EngineBenchmark(work, jar);
        try {
            if (runs > 0) {
                b.startup(runs, jars);
            }
            if (million > 0) {
                b.million(million);
            }
        } finally {
            b.server.close();
            sh(work, "rm", "-rf", work.toString());
        }
    }

    // ---- (a) time to first line, total for 200 lines --------------------------------------------------------

    /**
     * With several jars (A/B: {@code new.jar,old.jar}), every repetition runs each jar once, in alternating order,
     * so that both see the same load; the first jar's figures come first, the others' with their ratio to it.
     */
    private void startup(int runs, List<String> jars) throws Exception {
        System.out.println("warm-up (fills the repository and venv caches)...");
        for (String j : jars) {
            agent(j, task(200), false, null);
        }
        Map<String, List<AgentRun>> byJar = new java.util.LinkedHashMap<>();
        jars.forEach(j -> byJar.put(j, new ArrayList<>()));
        for (int i = 0; i < runs; i++) {
            List<String> order = new ArrayList<>(jars);
            if (i % 2 == 1) {
                Collections.reverse(order);
            }
            for (String j : order) {
                AgentRun r = agent(j, task(200), false, null);
                if (r.exitCode != 0) {
                    throw new IllegalStateException("the 200-line task failed with " + r.exitCode + " (" + j + ")");
                }
                byJar.get(j).add(r);
            }
        }
        System.out.printf("load average at the end: %s%n", Files.readString(Path.of("/proc/loadavg")).strip());
        long baseFirst = median(byJar.get(jars.get(0)).stream().map(AgentRun::firstLineMillis).toList());
        for (String j : jars) {
            List<AgentRun> rs = byJar.get(j);
            List<Long> first = rs.stream().map(AgentRun::firstLineMillis).toList();
            List<Long> total = rs.stream().map(AgentRun::totalMillis).toList();
            List<Long> cpu = rs.stream().map(AgentRun::cpuMillis).toList();
            List<Long> jvm = rs.stream().map(AgentRun::jvmCpuMillis).toList();
            String tag = jars.size() > 1 ? "[" + j + "] " : "";
            String ratio = "";
            if (!j.equals(jars.get(0))) {
                // each repetition ran every jar under about the same load: the ratio per repetition is the robust one
                List<AgentRun> base = byJar.get(jars.get(0));
                List<Double> perRun = new ArrayList<>();
                for (int i = 0; i < rs.size(); i++) {
                    perRun.add((double) rs.get(i).firstLineMillis / base.get(i).firstLineMillis);
                }
                Collections.sort(perRun);
                ratio = String.format(" = %.2fx the first jar (median of the per-repetition ratios %.2fx)",
                        (double) median(first) / baseFirst, perRun.get(perRun.size() / 2));
            }
            System.out.printf("(a) %sexecute start -> first task line: median %d ms (runs %s)%s%n", tag, median(first), first, ratio);
            System.out.printf("(a) %sexecute start -> exit, 200-line task: median %d ms (runs %s)%n", tag, median(total), total);
            System.out.printf("(a) %sCPU of execute with its git, python and task processes (user+sys): median %d ms (runs %s)%n", tag, median(cpu), cpu);
            System.out.printf("(a) %sCPU of the agent JVM alone (user+sys): median %d ms (runs %s)%n", tag, median(jvm), jvm);
        }
    }

    // ---- (b) 1,000,000 lines ----------------------------------------------------------------------------------

    private void million(int lines) throws Exception {
        Path script = work.resolve("repo/lines.py");
        Path gcLog = work.resolve("gc.log");
        agent(task(lines), true, gcLog); // warm-up: caches, and the server's JIT
        List<Long> direct = new ArrayList<>();
        List<Long> piped = new ArrayList<>();
        List<Long> drained = new ArrayList<>();
        List<Long> phase = new ArrayList<>();
        List<Long> jvmCpu = new ArrayList<>();
        AgentRun r = null;
        String id = null;
        for (int i = 0; i < ROUNDS_B; i++) {
            direct.add(direct(script, lines, Direct.DEV_NULL));
            piped.add(direct(script, lines, Direct.CAT));
            drained.add(direct(script, lines, Direct.DRAINED));
            id = task(lines);
            server.resetRequestCounts();
            long benchCpu = ownCpuMillis();
            r = agent(id, true, gcLog);
            if (System.getenv("BENCH_THREADS") != null) {
                System.out.printf("    this JVM (server and console reader) during the run: %d ms CPU%n",
                        ownCpuMillis() - benchCpu);
            }
            phase.add(r.runPhaseMillis);
            jvmCpu.add(r.jvmCpuMillis);
        }
        List<String> log = server.logLines(id);
        long taskLines = log.stream().filter(l -> l.equals("first line") || l.startsWith("line ")).count();
        long distinct = log.stream().filter(l -> l.equals("first line") || l.startsWith("line ")).distinct().count();
        System.out.printf("load average at the end: %s%n", Files.readString(Path.of("/proc/loadavg")).strip());
        System.out.printf("(b) %,d lines run directly (python3 -u > /dev/null): median %d ms (runs %s)%n", lines,
                median(direct), direct);
        System.out.printf("(b) %,d lines run directly into a pipe (python3 -u | cat > /dev/null): median %d ms (runs %s)%n",
                lines, median(piped), piped);
        System.out.printf("(b) %,d lines run directly into a pipe drained in 64 KiB reads, 0.5 ms naps (the least any "
                + "agent that captures the output costs): median %d ms (runs %s)%n", lines, median(drained), drained);
        System.out.printf("(b) through execute, run phase (first line on the console -> execute exits, final log "
                + "delivery and status included): median %d ms (runs %s)%n", median(phase), phase);
        System.out.printf("(b) run phase against the script run directly, median of the rounds' ratios: %.2fx "
                + "> /dev/null (rounds %s), %.2fx the drained pipe (rounds %s), %.2fx the pipe into cat%n",
                medianRatio(phase, direct), ratios(phase, direct), medianRatio(phase, drained),
                ratios(phase, drained), medianRatio(phase, piped));
        System.out.printf("(b) CPU of the agent JVM alone (user+sys, whole execute): median %d ms (runs %s)%n",
                median(jvmCpu), jvmCpu);
        System.out.printf("(b) agent JVM -Xmx128m, peak heap used before GC (last run): %.1f MB, most live after a GC "
                + "%.1f MB (%s)%n", peakHeapMb(gcLog, 1), peakHeapMb(gcLog, 2),
                r.exitCode == 0 ? "exit 0" : "exit " + r.exitCode);
        System.out.printf("(b) requests (last run): events.add_batch %d, all %d; log events stored %d%n",
                server.requestCount("events.add_batch"), server.requestCounts().values().stream().mapToLong(x -> x).sum(),
                server.logEventCount(id));
        System.out.printf("(b) task lines stored (last run) %,d of %,d (distinct %,d): lost %,d, duplicated %,d%n",
                taskLines, lines, distinct, lines - distinct, taskLines - distinct);
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    /** Where the script's output goes when it runs without the agent. */
    private enum Direct { DEV_NULL, CAT, DRAINED }

    /** Runs the script without the agent; returns its wall time in ms. */
    private static long direct(Path script, int lines, Direct to) throws Exception {
        String python = "python3 -u '" + script + "' " + lines;
        ProcessBuilder pb = switch (to) {
            case DEV_NULL -> new ProcessBuilder("sh", "-c", python).redirectOutput(ProcessBuilder.Redirect.DISCARD);
            case CAT -> new ProcessBuilder("sh", "-c", python + " | cat > /dev/null");
            case DRAINED -> new ProcessBuilder("sh", "-c", python);
        };
        long t0 = System.nanoTime();
        Process p = pb.start();
        if (to == Direct.DRAINED) {
            try (var in = p.getInputStream()) {
                byte[] buffer = new byte[1 << 16];
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    if (n < 4096) {
                        java.util.concurrent.locks.LockSupport.parkNanos(500_000L);
                    }
                }
            }
        }
        if (p.waitFor() != 0) {
            throw new IllegalStateException("python3 failed");
        }
        return (System.nanoTime() - t0) / 1_000_000;
    }

    /** Each round's {@code a / b}: the two were measured one after the other, so the machine's drift cancels. */
    private static String ratios(List<Long> a, List<Long> b) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
            out.add(String.format("%.2f", (double) a.get(i) / b.get(i)));
        }
        return out.toString();
    }

    private static double medianRatio(List<Long> a, List<Long> b) {
        List<Double> r = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
            r.add((double) a.get(i) / b.get(i));
        }
        Collections.sort(r);
        return r.get(r.size() / 2);
    }

    private String task(int lines) {
        return server.createTask("bench " + lines, Map.of(
                "script", Map.of("repository", repoUrl, "branch", "main", "entry_point", "lines.py",
                        "working_dir", ".", "binary", "python3"),
                "hyperparams", Map.of("Args", Map.of("lines",
                        Map.of("section", "Args", "name", "lines", "value", Integer.toString(lines))))));
    }

    /** Times in ms; {@code cpuMillis} is the agent JVM's user + system CPU time (children excluded). */
    record AgentRun(int exitCode, long firstLineMillis, long runPhaseMillis, long totalMillis, long cpuMillis,
            long jvmCpuMillis) {
    }

    /** Runs {@code java -jar <jar> execute --id <task>} with only the three variables, and times its console. */
    private AgentRun agent(String taskId, boolean lowHeap, Path gcLog) throws Exception {
        return agent(jar, taskId, lowHeap, gcLog);
    }

    private AgentRun agent(String jar, String taskId, boolean lowHeap, Path gcLog) throws Exception {
        List<String> command = new ArrayList<>(List.of("/usr/bin/time", "-f", "CPU %U %S",
                Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        if (lowHeap) {
            command.add("-Xmx128m");
            command.add("-Xlog:gc:file=" + gcLog);
        }
        String extra = System.getenv("BENCH_JAVA_OPTS"); // profiling only, e.g. -Xlog:class+load
        if (extra != null && !extra.isBlank()) {
            command.addAll(List.of(extra.trim().split("\\s+")));
        }
        command.addAll(List.of("-Duser.home=" + home, "-jar", jar, "execute", "--id", taskId));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("CLEARML_") || k.startsWith("TRAINS_"));
        pb.environment().put("CLEARML_API_HOST", server.apiUrl());
        pb.environment().put("CLEARML_API_ACCESS_KEY", server.credentials().accessKey());
        pb.environment().put("CLEARML_API_SECRET_KEY", server.credentials().secretKey());
        // The venv cache makes the second and later runs "warm", as on a real agent machine.
        pb.environment().put("CLEARML_AGENT_VENV_CACHE_PATH", home.resolve(".clearml/venvs-cache").toString());
        long t0 = System.nanoTime();
        Process p = pb.start();
        long[] jvmCpu = {-1};
        Thread sampler = new Thread(() -> sampleCpu(p, jvmCpu), "cpu-sampler");
        sampler.start();
        boolean verbose = System.getenv("BENCH_VERBOSE") != null;
        ConsoleScan scan = new ConsoleScan(verbose, t0);
        try (var in = p.getInputStream()) {
            byte[] buffer = new byte[1 << 16];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                scan.feed(buffer, n);
            }
        }
        int code = p.waitFor();
        long end = System.nanoTime();
        sampler.interrupt();
        sampler.join();
        return new AgentRun(code, (scan.firstLineAt - t0) / 1_000_000, (end - scan.firstLineAt) / 1_000_000,
                (end - t0) / 1_000_000, scan.cpuMillis, jvmCpu[0]);
    }

    /**
     * Reads the agent's console as a terminal would, without the cost of decoding every line (this JVM shares the
     * 2 cores with the agent and the task): it finds the time of {@code first line} and the {@code CPU} line that
     * {@code /usr/bin/time} prints last, and with {@code BENCH_VERBOSE} prints the agent's own lines, timed.
     */
    private static final class ConsoleScan {
        private static final byte[] TASK_LINE = "line ".getBytes(StandardCharsets.US_ASCII);
        private final boolean verbose;
        private final long t0;
        private final byte[] line = new byte[1024];
        private int length;
        private boolean taskLine;
        private long lastTaskLineAt;
        long firstLineAt = -1;
        long cpuMillis = -1;

        ConsoleScan(boolean verbose, long t0) {
            this.verbose = verbose;
            this.t0 = t0;
        }

        void feed(byte[] b, int n) {
            for (int i = 0; i < n; i++) {
                byte c = b[i];
                if (c == '\n') {
                    endLine();
                } else if (!taskLine && length < line.length) {
                    line[length++] = c;
                    // a task line is skipped unread: it is most of the console
                    taskLine = length == TASK_LINE.length && Arrays.equals(line, 0, length, TASK_LINE, 0, length);
                }
            }
        }

        private void endLine() {
            if (taskLine) {
                lastTaskLineAt = System.nanoTime();
            } else {
                String l = new String(line, 0, length, StandardCharsets.UTF_8);
                if (verbose) {
                    if (lastTaskLineAt > 0) {
                        System.out.printf("  %6d ms  (the last task line before this one)%n",
                                (lastTaskLineAt - t0) / 1_000_000);
                        lastTaskLineAt = 0;
                    }
                    System.out.printf("  %6d ms  %s%n", (System.nanoTime() - t0) / 1_000_000, l);
                }
                if (firstLineAt < 0 && l.equals("first line")) {
                    firstLineAt = System.nanoTime();
                }
                if (l.startsWith("CPU ")) {
                    String[] t = l.split(" ");
                    cpuMillis = Math.round((Double.parseDouble(t[1]) + Double.parseDouble(t[2])) * 1000);
                }
            }
            length = 0;
            taskLine = false;
        }
    }

    /**
     * Polls the java child's own CPU time (/proc/<pid>/stat utime + stime) until it exits; keeps the last value.
     * With {@code BENCH_THREADS} set it also prints the CPU of each of its threads, by name (profiling only).
     */
    private static void sampleCpu(Process time, long[] out) {
        try {
            ProcessHandle java = null;
            while (java == null && time.isAlive()) {
                java = time.toHandle().children().findFirst().orElse(null);
                Thread.sleep(5);
            }
            if (java == null) {
                return;
            }
            Path stat = Path.of("/proc", Long.toString(java.pid()), "stat");
            boolean perThread = System.getenv("BENCH_THREADS") != null;
            Map<String, Long> threads = new TreeMap<>();
            while (java.isAlive()) {
                try {
                    out[0] = ticksMillis(Files.readString(stat));
                    if (perThread) {
                        threadTimes(java.pid(), threads);
                    }
                } catch (IOException | RuntimeException gone) {
                    break;
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException ended) {
                    break; // the agent has exited: its last readings stand
                }
            }
            if (perThread) {
                Map<String, Long> byName = new TreeMap<>();
                threads.forEach((k, v) -> byName.merge(k.substring(k.indexOf(' ') + 1).replaceAll("[0-9a-f]{8,}|#?\\d+$", "*"),
                        v, Long::sum));
                byName.entrySet().stream().filter(e -> e.getValue() > 0)
                        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                        .forEach(e -> System.out.printf("    thread %-18s %5d ms CPU%n", e.getKey(), e.getValue()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static long ownCpuMillis() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime() / 1_000_000;
    }

    /** user + system time of one /proc stat line, in ms (clock ticks of 10 ms). */
    private static long ticksMillis(String statLine) {
        String[] f = statLine.substring(statLine.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10;
    }

    /** Latest CPU time of each thread, keyed "tid name". */
    private static void threadTimes(long pid, Map<String, Long> into) throws IOException {
        try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path t : (Iterable<Path>) tasks::iterator) {
                try {
                    String line = Files.readString(t.resolve("stat"));
                    String name = line.substring(line.indexOf('(') + 1, line.lastIndexOf(')'));
                    into.put(t.getFileName() + " " + name, ticksMillis(line));
                } catch (IOException ended) {
                    // the thread ended between the listing and the read: its last value stays
                }
            }
        }
    }

    /** The highest heap figure of the GC log: before its collections ({@code group} 1) or after them (2). */
    private static double peakHeapMb(Path gcLog, int group) throws IOException {
        // e.g. "[0.512s][info][gc] GC(3) Pause Young (Normal) (G1 Evacuation Pause) 24M->3M(128M) 1.234ms"
        Pattern p = Pattern.compile("(\\d+)M->(\\d+)M\\((\\d+)M\\)");
        double peak = 0;
        for (String l : Files.readAllLines(gcLog)) {
            Matcher m = p.matcher(l);
            if (m.find()) {
                peak = Math.max(peak, Double.parseDouble(m.group(group)));
            }
        }
        return peak;
    }

    private static long median(List<Long> values) {
        List<Long> s = new ArrayList<>(values);
        Collections.sort(s);
        return s.get(s.size() / 2);
    }

    private static void sh(Path dir, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + " failed");
        }
    }
}
