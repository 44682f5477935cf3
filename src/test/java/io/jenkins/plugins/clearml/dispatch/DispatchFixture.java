package io.jenkins.plugins.clearml.dispatch;

import io.jenkins.plugins.clearml.client.ClearMLClient;
import io.jenkins.plugins.clearml.client.ClientSettings;
import io.jenkins.plugins.clearml.client.ServerEndpoint;
import io.jenkins.plugins.clearml.localserver.LocalClearMLServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** An in-process ClearML server, a client on it, and helpers to make queues, tasks and nodes. */
final class DispatchFixture implements AutoCloseable {

    final LocalClearMLServer server;
    final ClearMLClient client;

    DispatchFixture(Duration retryWindow) throws Exception {
        server = new LocalClearMLServer().start();
        client = new ClearMLClient(ClientSettings.of(ServerEndpoint.of(server.apiUrl()), server.credentials(),
                "dispatch-test").withRetryWindow(retryWindow));
        client.login();
    }

    DispatchFixture() throws Exception {
        this(Duration.ofSeconds(5));
    }

    QueueRef queue(String name) {
        return new QueueRef(server.createQueue(name), name);
    }

    List<String> enqueue(QueueRef queue, int count) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String id = server.createTask(queue.name() + "-" + i);
            server.enqueue(id, queue.id());
            ids.add(id);
        }
        return ids;
    }

    static NodeSpec node(String name, int gpus) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < gpus; i++) {
            ids.add(Integer.toString(i));
        }
        return new NodeSpec(name, Set.of("gpu"), Math.max(gpus, 1), ids);
    }

    String status(String taskId) {
        return server.task(taskId).status();
    }

    @Override
    public void close() {
        client.close();
        server.close();
    }
}
