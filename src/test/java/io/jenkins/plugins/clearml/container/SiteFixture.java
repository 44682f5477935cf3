package io.jenkins.plugins.clearml.container;

import io.jenkins.plugins.clearml.client.Task;
import io.jenkins.plugins.clearml.client.TaskContainer;
import io.jenkins.plugins.clearml.client.TaskScript;
import io.jenkins.plugins.clearml.client.TaskStatus;
import io.jenkins.plugins.clearml.execution.ContainerOptions;
import io.jenkins.plugins.clearml.execution.ExecutionRequest;
import io.jenkins.plugins.clearml.execution.SiteContext;
import io.jenkins.plugins.clearml.node.ProcessResult;
import io.jenkins.plugins.clearml.node.ProcessSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds the inputs of a container site for tests, one field at a time. */
final class SiteFixture {

    final RecordingNode node = new RecordingNode();
    final List<String> console = Collections.synchronizedList(new ArrayList<>());
    String taskId = "task-" + Long.toHexString(System.nanoTime());
    String requestedImage;
    TaskContainer container = TaskContainer.NONE;
    List<String> gpus = List.of();
    Path workspace;
    List<String> mountDirs = new ArrayList<>();
    Map<String, String> secrets = new LinkedHashMap<>();
    Map<String, String> environment = new LinkedHashMap<>();
    Map<String, String> nodeEnvironment = new LinkedHashMap<>();

    SiteFixture(Path workspace) {
        this.workspace = workspace;
        environment.put("CLEARML_TASK_ID", taskId);
    }

    Task task() {
        TaskScript script = new TaskScript("python3", "", "", "", "", "main.py", ".", "", Map.of());
        return new Task(taskId, "container test", "project", TaskStatus.QUEUED, "", "", script, container, Map.of(),
                Map.of(), "queue", "");
    }

    SiteContext context() {
        ExecutionRequest request = new ExecutionRequest(taskId,
                requestedImage == null ? ContainerOptions.fromTaskOrDefault() : new ContainerOptions(requestedImage),
                gpus, "worker-under-test", false, false);
        return new SiteContext(node.access(nodeEnvironment), task(), request, workspace.toString(), mountDirs, secrets,
                environment, console::add);
    }

    String consoleText() {
        synchronized (console) {
            return String.join("\n", console);
        }
    }

    static ProcessResult run(ContainerSite site, String... command) throws IOException, InterruptedException {
        return site.processes().run(ProcessSpec.of(command));
    }
}
