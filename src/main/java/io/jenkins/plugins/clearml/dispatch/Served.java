package io.jenkins.plugins.clearml.dispatch;

/** A queue and the template that serves it (a queue is served by one template only). */
record Served(DispatchTemplate template, QueueRef queue) {}
