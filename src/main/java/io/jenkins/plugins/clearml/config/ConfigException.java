package io.jenkins.plugins.clearml.config;

/** The configuration is missing something or cannot be read; the message says what to set, and where. */
public class ConfigException extends Exception {

    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
