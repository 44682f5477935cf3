package io.jenkins.plugins.clearml.client;

/** The task's {@code container} section: image, docker arguments (one shell-quoted string) and setup script. */
public record TaskContainer(String image, String arguments, String setupShellScript) {

    public static final TaskContainer NONE = new TaskContainer("", "", "");

    public boolean hasImage() {
        return image != null && !image.isBlank();
    }
}
