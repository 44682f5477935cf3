package io.jenkins.plugins.clearml.execution;

/**
 * Where the run's console goes besides the task log: standard output on the command line, the build log in
 * Jenkins. Called with one line at a time, without its line break.
 */
@FunctionalInterface
public interface Console {

    void line(String line);

    static Console stdout() {
        return System.out::println;
    }
}
