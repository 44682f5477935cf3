package io.jenkins.plugins.clearml.python;

import io.jenkins.plugins.clearml.client.TaskScript;
import io.jenkins.plugins.clearml.node.LocalNode;
import io.jenkins.plugins.clearml.testsupport.python.NodeWithEnvironment;
import io.jenkins.plugins.clearml.testsupport.python.OfflinePip;
import io.jenkins.plugins.clearml.testsupport.python.TinyWheels;
import io.jenkins.plugins.clearml.vcs.PreparedCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Times {@link PythonEnvironmentBuilder#build} cold and with a warm cache (not a test: numbers depend on the
 * machine). Run as documented in docs/python-environments.md.
 */
public final class PythonEnvironmentBenchmark {

    private PythonEnvironmentBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        Path work = Files.createTempDirectory("venv-bench");
        Path wheels = work.resolve("wheels");
        TinyWheels.write(wheels, "tinypkg", "1.0");
        NodeWithEnvironment node = NodeWithEnvironment.of(OfflinePip.environment(wheels));
        PythonSettings settings = new PythonSettings("", work.resolve("venvs").toString(),
                work.resolve("cache").toString(), 10, List.of(), List.of(), false);
        Path repo = Files.createDirectories(work.resolve("repo"));
        PreparedCode code = new PreparedCode(repo.toString(), repo.toString(), "main.py", "", true);
        for (Object pip : new Object[] {null, "tinypkg==1.0\n"}) {
            TaskScript script = new TaskScript("python3", "", "", "", "", "main.py", ".", "",
                    pip == null ? Map.of() : Map.of("pip", pip));
            String label = pip == null ? "no requirements" : "tinypkg==1.0";
            System.out.printf("%-16s cold build: %6d ms%n", label, time(node, settings, script, code));
            List<Long> warm = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                warm.add(time(node, settings, script, code));
            }
            Collections.sort(warm);
            System.out.printf("%-16s warm hit (%d runs): min %d ms, median %d ms, max %d ms%n", label, runs,
                    warm.get(0), warm.get(warm.size() / 2), warm.get(warm.size() - 1));
        }
        LocalNode.get().deleteRecursively(work.toString());
    }

    private static long time(NodeWithEnvironment node, PythonSettings settings, TaskScript script, PreparedCode code)
            throws Exception {
        try (PythonEnvironmentBuilder builder = new PythonEnvironmentBuilder(node, LocalNode.get(), settings,
                line -> { })) {
            long start = System.nanoTime();
            builder.build(script, code, "");
            return (System.nanoTime() - start) / 1_000_000;
        }
    }
}
