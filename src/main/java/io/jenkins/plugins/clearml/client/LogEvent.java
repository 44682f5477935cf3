package io.jenkins.plugins.clearml.client;

/** A console log event of a task ({@code type: log}); {@code msg} holds one or more lines, at most 64 KiB. */
public record LogEvent(String task, String worker, String level, String msg, long timestampMillis) {
}
