package io.jenkins.plugins.clearml.client;

/** A scalar event ({@code type: training_stats_scalar}), as the SDK's resource monitor reports machine figures. */
public record ScalarEvent(String task, String metric, String variant, double value, long iteration, long timestampMillis) {
}
