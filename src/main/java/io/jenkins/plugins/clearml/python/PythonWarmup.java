package io.jenkins.plugins.clearml.python;

/**
 * Prepares the venv cache's index reading ahead of use, for short-lived command lines (see
 * {@code cli.StartupWarmup}): in a fresh JVM, Jackson's first reading of the index records costs more than the
 * rest of a cache hit. A failure here only means no head start.
 */
public final class PythonWarmup {

    private PythonWarmup() {
    }

    public static void warmUp() {
        try {
            VenvCache.warmUpJson();
        } catch (Exception | LinkageError e) {
            // only a head start
        }
    }
}
