package io.jenkins.plugins.clearml.execution;

/**
 * Docker mode. {@code image} given here wins; {@code null} takes the task's container image, then the configured
 * default image.
 */
public record ContainerOptions(String image) {

    public static ContainerOptions fromTaskOrDefault() {
        return new ContainerOptions(null);
    }
}
