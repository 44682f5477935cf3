package io.jenkins.plugins.clearml.client;

import java.util.List;

/** A queue: its id, name, tags and the ids of the tasks waiting in it, head first. */
public record QueueInfo(String id, String name, List<String> tags, List<String> systemTags, List<String> taskIds) {

    public QueueInfo {
        tags = tags == null ? List.of() : List.copyOf(tags);
        systemTags = systemTags == null ? List.of() : List.copyOf(systemTags);
        taskIds = taskIds == null ? List.of() : List.copyOf(taskIds);
    }
}
