package io.jenkins.plugins.clearml.container;

import io.jenkins.plugins.clearml.client.ClearMLClient;
import io.jenkins.plugins.clearml.client.ClientSettings;
import io.jenkins.plugins.clearml.config.AgentConfig;
import io.jenkins.plugins.clearml.execution.ContainerOptions;
import io.jenkins.plugins.clearml.execution.ExecutionRequest;
import io.jenkins.plugins.clearml.execution.ExecutionResult;
import io.jenkins.plugins.clearml.execution.ExecutorOptions;
import io.jenkins.plugins.clearml.execution.TaskExecutor;
import io.jenkins.plugins.clearml.node.NodeAccess;
import io.jenkins.plugins.clearml.testsupport.container.ContainerRuntimeExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Time from {@code execute} to the task's first output line, venv mode beside docker mode, first run (empty venv
 * cache) and second run (cached), on one in-process server. Not a test: run it by hand (see docs/benchmarks.md).
 *
 * <pre>java -cp target/classes:target/test-classes:$(cat cp.txt) io.jenkins.plugins.clearml.container.DockerModeBenchmark [rounds]</pre>
 */
public final class DockerModeBenchmark {

    private DockerModeBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 1;
        ContainerRuntimeExtension.ensureRuntime();
        System.out.println("round,mode,run,seconds_to_first_line,seconds_total,status");
        for (int round = 1; round <= rounds; round++) {
            for (boolean docker : new boolean[] {false, true}) {
                Path tmp = Files.createTempDirectory("clearml-docker-bench");
                try (DockerModeFixture fixture = new DockerModeFixture(tmp)) {
                    AgentConfig config = fixture.config(List.of(), "");
                    for (String run : List.of("first", "second")) {
                        measure(fixture, config, docker, round, run);
                    }
                }
            }
        }
        System.exit(0);
    }

    private static void measure(DockerModeFixture fixture, AgentConfig config, boolean docker, int round, String run)
            throws InterruptedException {
        String id = fixture.createTask("", "", "ok");
        ClearMLClient client = new ClearMLClient(ClientSettings.of(config.endpoint(), config.credentials(),
                "bench:0"));
        TaskExecutor executor = new TaskExecutor(client, config, NodeAccess.local(),
                ExecutorOptions.defaults().withWorkspaceRoot(fixture.tmp.resolve("runs").toString()))
                .withDockerSites(new ContainerRunSiteFactory(config.docker()));
        AtomicLong firstLine = new AtomicLong();
        long start = System.nanoTime();
        ExecutionResult result = executor.execute(new ExecutionRequest(id,
                docker ? ContainerOptions.fromTaskOrDefault() : null, List.of(), "bench:0", true, false), line -> {
                    if (line.contains("first line of the task")) {
                        firstLine.compareAndSet(0, System.nanoTime());
                    }
                });
        long end = System.nanoTime();
        System.out.printf("%d,%s,%s,%.2f,%.2f,%s%n", round, docker ? "docker" : "venv", run,
                (firstLine.get() - start) / 1e9, (end - start) / 1e9, result.status());
    }
}
