package io.jenkins.plugins.clearml.jenkins;

/**
 * Configuration or step input that cannot work, found before anything runs. The message is one line that says what
 * is wrong and how to fix it; the Jenkins layer shows it as the build's error, without a stack trace.
 */
public class UserInputException extends Exception {

    private static final long serialVersionUID = 1L;

    public UserInputException(String message) {
        super(message);
    }
}
