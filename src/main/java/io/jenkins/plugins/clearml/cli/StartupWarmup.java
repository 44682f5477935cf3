package io.jenkins.plugins.clearml.cli;

import io.jenkins.plugins.clearml.client.ClientWarmup;
import io.jenkins.plugins.clearml.python.PythonWarmup;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/**
 * A command line lives for one run, so every class it uses is loaded cold. This thread loads the slowest of them
 * (the HTTP client, the JSON readers of the API and of the venv cache) while the main thread parses the command
 * line, reads the configuration and waits for the server and git: on a machine with a second core, that work no
 * longer adds to the time before the task starts (docs/benchmarks.md, engine (a)).
 */
final class StartupWarmup {

    private StartupWarmup() {
    }

    static void startInBackground() {
        Thread t = new Thread(() -> {
            ClientWarmup.warmUp();
            securityProviders();
            PythonWarmup.warmUp();
        }, "clearml-startup-warmup");
        t.setDaemon(true);
        t.start();
    }

    /** The JDK's security providers load on first use: the md5 of the repository cache key, the run tokens. */
    private static void securityProviders() {
        try {
            MessageDigest.getInstance("MD5").digest(new byte[1]);
            new SecureRandom().nextBytes(new byte[6]);
        } catch (NoSuchAlgorithmException | RuntimeException e) {
            // only a head start
        }
    }
}
