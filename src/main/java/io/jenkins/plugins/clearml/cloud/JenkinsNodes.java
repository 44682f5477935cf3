package io.jenkins.plugins.clearml.cloud;

import hudson.model.Computer;
import hudson.model.Label;
import hudson.model.Node;
import io.jenkins.plugins.clearml.dispatch.GpuDetector;
import io.jenkins.plugins.clearml.dispatch.LabelMatcher;
import io.jenkins.plugins.clearml.dispatch.NodePool;
import io.jenkins.plugins.clearml.dispatch.NodeSpec;
import io.jenkins.plugins.clearml.jenkins.JenkinsNode;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.logging.Level;
import java.util.logging.Logger;
import jenkins.model.Jenkins;

/**
 * The Jenkins nodes as the dispatch core sees them: one {@link NodePool} for the whole controller (every ClearML
 * Queue Cloud shares it, so GPUs are counted once however many clouds there are), refreshed from Jenkins at each
 * dispatcher tick. A node's GPUs are those of its {@link ClearmlNodeProperty}, else detected once when it comes
 * online ({@code nvidia-smi} on the node); until then it takes only CPU runs.
 */
final class JenkinsNodes {

    private static final Logger LOG = Logger.getLogger(JenkinsNodes.class.getName());
    /** Jenkins' own name for the controller's node, whose node name is empty. */
    static final String BUILT_IN = "built-in";
    private static final JenkinsNodes INSTANCE = new JenkinsNodes();

    private final Map<String, Node> nodes = new ConcurrentHashMap<>();
    private final Map<String, List<String>> gpus = new ConcurrentHashMap<>();
    private final Set<String> detecting = ConcurrentHashMap.newKeySet();
    /** Node → the invalid GPU setting already logged, so it is said once, not at every tick. */
    private final Map<String, String> badSettings = new ConcurrentHashMap<>();
    private final ExecutorService detector = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "clearml-gpu-detection");
        t.setDaemon(true);
        return t;
    });
    private final NodePool pool = new NodePool(this::matches, Clock.systemUTC());

    static JenkinsNodes get() {
        return INSTANCE;
    }

    NodePool pool() {
        return pool;
    }

    static String nameOf(Node node) {
        String name = node.getNodeName();
        return name == null || name.isEmpty() ? BUILT_IN : name;
    }

    private boolean matches(String expression, NodeSpec spec) {
        if (expression == null || expression.isBlank()) {
            return true;
        }
        Node node = nodes.get(spec.name());
        Label label = Jenkins.get().getLabel(expression);
        return node != null && label != null && label.matches(node);
    }

    /** Reads the nodes from Jenkins into the pool: online ones with their executors and GPUs, the rest offline. */
    synchronized void refresh() {
        Jenkins jenkins = Jenkins.get();
        List<Node> all = new ArrayList<>(jenkins.getNodes());
        all.add(jenkins);
        List<NodeSpec> online = new ArrayList<>();
        List<String> offline = new ArrayList<>();
        Map<String, Integer> ours = new java.util.HashMap<>();
        for (NodePool.NodeUsage usage : pool.usage()) {
            ours.put(usage.spec().name(), usage.runs());
        }
        for (Node node : all) {
            String name = nameOf(node);
            Computer computer = node.toComputer();
            if (computer == null || !computer.isOnline() || node.getNumExecutors() <= 0) {
                offline.add(name);
                gpus.remove(name); // detect again when it is back: it may be another machine
                continue;
            }
            nodes.put(name, node);
            List<String> known = configuredGpus(name, node).orElseGet(() -> gpus.get(name));
            if (known == null) {
                detect(name, node);
            }
            // Other builds use executors too: offer what is idle now plus what our own runs hold.
            int executors = Math.min(node.getNumExecutors(), computer.countIdle() + ours.getOrDefault(name, 0));
            online.add(new NodeSpec(name, Set.of(), executors, known == null ? List.of() : known));
        }
        pool.sync(online, offline);
    }

    /** The GPUs the node's {@link ClearmlNodeProperty} gives; empty to detect them. */
    private Optional<List<String>> configuredGpus(String name, Node node) {
        ClearmlNodeProperty property = node.getNodeProperty(ClearmlNodeProperty.class);
        if (property == null) {
            return Optional.empty();
        }
        try {
            Optional<List<String>> configured = property.configuredGpus();
            badSettings.remove(name);
            return configured;
        } catch (IllegalArgumentException e) {
            if (!property.getGpus().equals(badSettings.put(name, property.getGpus()))) {
                LOG.warning("ClearML: node " + name + " has an invalid ClearML GPUs setting '" + property.getGpus()
                        + "': " + e.getMessage() + " Its GPUs are detected instead; fix it in the node's "
                        + "configuration.");
            }
            return Optional.empty();
        }
    }

    private void detect(String name, Node node) {
        if (!detecting.add(name)) {
            return;
        }
        detector.execute(() -> {
            try {
                var access = JenkinsNode.access(node.createLauncher(() -> System.out), node.getRootPath(), Map.of());
                List<String> found = GpuDetector.detect(access.processes());
                gpus.put(name, found);
                LOG.info(() -> "ClearML: node " + name + " has " + found.size() + " GPU(s) " + found);
            } catch (Exception e) {
                LOG.log(Level.FINE, "GPU detection on " + name + " failed", e);
                gpus.put(name, List.of());
            } finally {
                detecting.remove(name);
            }
        });
    }
}
