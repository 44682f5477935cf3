package io.jenkins.plugins.clearml.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.clearml.localserver.LocalClearMLServer;
import io.jenkins.plugins.clearml.testsupport.git.TestRepository;
import io.jenkins.plugins.clearml.testsupport.python.OfflinePip;
import io.jenkins.plugins.clearml.testsupport.python.TinyWheels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code daemon} as users run it: a separate JVM with the command line, the engine running real tasks (git clone,
 * venv, python) against the in-process server, two GPUs divided one per task, then SIGTERM.
 */
class DaemonEndToEndTest {

    @TempDir
    Path root;

    @Test
    void servesAQueueWithOneGpuPerTaskAndStopsGracefullyOnSigterm() throws Exception {
        Path wheels = root.resolve("wheels");
        TinyWheels.write(wheels, "tinypkg", "1.0");
        TestRepository repo = TestRepository.create(root, "job");
        repo.write("main.py", """
                import os, sys, time
                print("GPUS=" + os.environ.get("CUDA_VISIBLE_DEVICES", "unset"), flush=True)
                time.sleep(float(sys.argv[1]) if len(sys.argv) > 1 else 2)
                print("done", flush=True)
                """);
        repo.commit("task code");
        repo.push();
        try (LocalClearMLServer server = new LocalClearMLServer().start()) {
            String queue = server.createQueue("e2e-gpu");
            List<String> tasks = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                tasks.add(task(server, repo.fileUrl()));
                server.enqueue(tasks.get(i), queue);
            }
            Path out = root.resolve("daemon.out");
            Process daemon = startDaemon(server, wheels, out, "--queue", "e2e-gpu", "--gpus", "0,1",
                    "--gpus-per-task", "1", "--foreground", "--polling-interval", "0.2");
            try {
                await(() -> tasks.stream().allMatch(t -> server.task(t).status().equals("completed")), out,
                        Duration.ofMinutes(4));
                Set<String> seen = new HashSet<>();
                for (String t : tasks) {
                    String gpu = server.logLines(t).stream().filter(l -> l.startsWith("GPUS=")).findFirst()
                            .orElseThrow().substring("GPUS=".length()).trim();
                    assertThat(gpu).isIn("0", "1");
                    assertThat(server.task(t).lastWorker()).isEqualTo("e2e-host:gpu" + gpu);
                    seen.add(gpu);
                }
                assertThat(seen).containsExactlyInAnyOrder("0", "1");

                // SIGTERM while a task runs: it finishes, then the daemon unregisters and exits
                String last = task(server, repo.fileUrl());
                server.enqueue(last, queue);
                await(() -> server.logLines(last).stream().anyMatch(l -> l.startsWith("GPUS=")), out, Duration.ofMinutes(2));
                daemon.destroy();
                assertThat(daemon.waitFor(3, TimeUnit.MINUTES)).isTrue();
                assertThat(server.task(last).status()).isEqualTo("completed");
                assertThat(Files.readString(out)).contains("ClearML daemon stopped; workers unregistered.");
                assertThat(server.workers()).isEmpty();
                assertThat(server.queueTaskIds(queue)).isEmpty();
            } finally {
                daemon.destroyForcibly();
            }
        }
    }

    @Test
    void withStopRunningSigtermStopsTheRunningTaskAndMarksItStopped() throws Exception {
        Path wheels = root.resolve("wheels");
        TinyWheels.write(wheels, "tinypkg", "1.0");
        TestRepository repo = TestRepository.create(root, "long-job");
        repo.write("long.py", """
                import time
                print("GPUS=started", flush=True)
                time.sleep(600)
                """);
        repo.commit("long task");
        repo.push();
        try (LocalClearMLServer server = new LocalClearMLServer().start()) {
            String queue = server.createQueue("e2e-stop");
            String task = task(server, repo.fileUrl(), "long.py");
            server.enqueue(task, queue);
            Path out = root.resolve("daemon.out");
            Process daemon = startDaemon(server, wheels, out, "--queue", "e2e-stop", "--gpus", "0",
                    "--stop-running", "--foreground", "--polling-interval", "0.2");
            try {
                await(() -> server.logLines(task).stream().anyMatch(l -> l.startsWith("GPUS=started")), out,
                        Duration.ofMinutes(3));
                daemon.destroy();
                assertThat(daemon.waitFor(2, TimeUnit.MINUTES)).isTrue();
                assertThat(server.task(task).status()).isEqualTo("stopped");
                assertThat(server.workers()).isEmpty();
                assertThat(ProcessHandle.allProcesses().map(p -> p.info().commandLine().orElse(""))
                        .filter(c -> c.contains("long.py")).toList()).isEmpty();
            } finally {
                daemon.destroyForcibly();
            }
        }
    }

    private static String task(LocalClearMLServer server, String repositoryUrl) {
        return task(server, repositoryUrl, "main.py");
    }

    private static String task(LocalClearMLServer server, String repositoryUrl, String entryPoint) {
        Map<String, Object> script = new LinkedHashMap<>();
        script.put("repository", repositoryUrl);
        script.put("branch", "main");
        script.put("entry_point", entryPoint);
        script.put("working_dir", ".");
        script.put("binary", "python3");
        return server.createTask("daemon e2e", Map.of("script", script));
    }

    private Process startDaemon(LocalClearMLServer server, Path wheels, Path out, String... args) throws Exception {
        Path home = Files.createDirectories(root.resolve("home"));
        // Java takes its home from the password database, not HOME: without this the daemon writes into ours.
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Duser.home=" + home, "-cp", System.getProperty("java.class.path"),
                ClearmlAgentCli.class.getName(), "daemon"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile());
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("CLEARML_") || k.endsWith("VISIBLE_DEVICES"));
        env.putAll(OfflinePip.environment(wheels));
        env.put("HOME", home.toString());
        env.put("CLEARML_CONFIG_FILE", Files.writeString(home.resolve("clearml.conf"), "agent {}\n").toString());
        env.put("CLEARML_API_HOST", server.apiUrl());
        env.put("CLEARML_API_ACCESS_KEY", server.credentials().accessKey());
        env.put("CLEARML_API_SECRET_KEY", server.credentials().secretKey());
        env.put("CLEARML_WORKER_NAME", "e2e-host");
        return pb.start();
    }

    private static void await(BooleanSupplier condition, Path out, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out; daemon output:\n"
                        + (Files.exists(out) ? Files.readString(out, StandardCharsets.UTF_8) : "(none)"));
            }
            Thread.sleep(100);
        }
    }
}
