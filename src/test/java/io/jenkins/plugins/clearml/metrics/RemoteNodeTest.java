package io.jenkins.plugins.clearml.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.clearml.node.LocalNode;
import io.jenkins.plugins.clearml.node.NodeAccess;
import io.jenkins.plugins.clearml.node.NodeFiles;
import io.jenkins.plugins.clearml.node.NodeProcesses;
import io.jenkins.plugins.clearml.node.ProcessSpec;
import io.jenkins.plugins.clearml.node.RunningProcess;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node that is not this JVM (a remote Jenkins agent): every file is read and every process started through the
 * node's ports, and GPUs are read with nvidia-smi on the node, never with a library loaded here.
 */
class RemoteNodeTest {

    @TempDir
    Path dir;

    private final List<String> reads = new CopyOnWriteArrayList<>();
    private final List<List<String>> started = new CopyOnWriteArrayList<>();

    /** The local ports behind other objects, as a remote agent's would be, recording what goes through them. */
    private NodeAccess remote() {
        NodeFiles files = (NodeFiles) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {NodeFiles.class}, (proxy, method, args) -> {
                    if (method.getName().startsWith("read") || method.getName().equals("list")
                            || method.getName().equals("usableSpace")) {
                        reads.add(method.getName() + " " + args[0]);
                    }
                    try {
                        return method.invoke(LocalNode.get(), args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        NodeProcesses processes = new NodeProcesses() {
            @Override
            public RunningProcess start(ProcessSpec spec) throws java.io.IOException {
                started.add(spec.command());
                return LocalNode.get().start(spec);
            }
        };
        return new NodeAccess(processes, files, Map.of(), "remote-agent");
    }

    @Test
    void everythingGoesThroughTheNodesPorts() throws Exception {
        FakeNvidiaSmi smi = new FakeNvidiaSmi(dir, NvidiaSmiGpuSourceTest.TWO_GPUS);
        MetricsSettings settings = new MetricsSettings(Duration.ofMillis(200), Duration.ofSeconds(30), true, "auto",
                smi.program.toString(), "/tmp", 100.0);

        NodeSample sample;
        String source;
        try (NodeSampler sampler = NodeSampler.open(remote(), settings, VisibleGpus.all())) {
            sample = sampler.sample();
            source = sampler.gpuSourceName();
        }

        assertThat(source).isEqualTo("nvidia-smi");
        assertThat(sample.gpus()).hasSize(2);
        assertThat(sample.cpuUsage()).isNotNull();
        assertThat(sample.diskFreePercent()).isNotNull();
        assertThat(reads).contains("readString /proc/stat", "readString /proc/meminfo", "readString /proc/loadavg",
                "readString /proc/diskstats", "readString /proc/net/dev", "usableSpace /tmp", "list /sys/block");
        assertThat(started).contains(List.of("stat", "-f", "-c", "%S %b %f %a", "/tmp"),
                NvidiaSmiGpuSource.command(smi.program.toString(), Duration.ofMillis(200)));
        assertThat(started).filteredOn(c -> c.get(0).equals(smi.program.toString())).hasSize(1);
    }
}
