package io.jenkins.plugins.clearml.dispatch;

import java.util.Objects;

/** A resolved ClearML queue: its id (what the API takes) and its name (what people read). */
public record QueueRef(String id, String name) {

    public QueueRef {
        Objects.requireNonNull(id, "id");
        name = name == null ? id : name;
    }

    @Override
    public String toString() {
        return name;
    }
}
