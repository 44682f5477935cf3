package io.jenkins.plugins.clearml.client;

/** An access key and its secret. {@link #toString()} never shows the secret. */
public record Credentials(String accessKey, String secretKey) {

    public boolean isComplete() {
        return accessKey != null && !accessKey.isBlank() && secretKey != null && !secretKey.isBlank();
    }

    @Override
    public String toString() {
        return "Credentials[accessKey=" + accessKey + ", secretKey=****]";
    }
}
