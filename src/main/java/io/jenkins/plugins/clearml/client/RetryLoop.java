package io.jenkins.plugins.clearml.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The repeat loop of one API call: attempts until one succeeds, the error is not worth repeating, or the next
 * jittered exponential backoff would end past the retry window; the last error then says how often it was tried.
 * Which errors are repeated is the caller's decision.
 */
final class RetryLoop {

    private static final Duration FIRST_BACKOFF = Duration.ofMillis(250);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(15);

    /** One attempt of the call. */
    @FunctionalInterface
    interface Attempt {
        JsonNode run() throws ClearMLException;
    }

    private final String endpoint;
    private final Duration window;
    private Predicate<ClearMLException> doneOnRepeat = e -> false;
    private Logger log;

    RetryLoop(String endpoint, Duration window) {
        this.endpoint = endpoint;
        this.window = window;
    }

    /**
     * An error that a repeated attempt gets back from the server (not a transport failure) which means the first
     * attempt did the work; the loop then returns an empty object.
     */
    RetryLoop doneOnRepeat(Predicate<ClearMLException> done) {
        this.doneOnRepeat = done;
        return this;
    }

    /** Logs each repeat to {@code logger} (the first at INFO, later ones at FINE). */
    RetryLoop logRepeatsTo(Logger logger) {
        this.log = logger;
        return this;
    }

    JsonNode run(Attempt attempt, Predicate<ClearMLException> retryable) throws ClearMLException {
        long start = System.nanoTime();
        long deadline = start + window.toNanos();
        long backoff = FIRST_BACKOFF.toMillis();
        int attempts = 1;
        while (true) {
            try {
                return attempt.run();
            } catch (ClearMLException e) {
                if (attempts > 1 && !(e instanceof TransportFailure) && doneOnRepeat.test(e)) {
                    return ApiTransport.JSON.createObjectNode();
                }
                long sleep = (long) (backoff * (0.5 + ThreadLocalRandom.current().nextDouble() * 0.5));
                if (!retryable.test(e) || System.nanoTime() + sleep * 1_000_000 > deadline) {
                    throw attempts == 1 ? e : gaveUp(e, attempts, start);
                }
                if (log != null) {
                    log.log(attempts == 1 ? Level.INFO : Level.FINE, "{0} failed ({1}); repeating for up to {2} s",
                            new Object[] {endpoint, e.getMessage(), window.toSeconds()});
                }
                sleep(sleep);
                backoff = Math.min(backoff * 2, MAX_BACKOFF.toMillis());
                attempts++;
            }
        }
    }

    private ClearMLException gaveUp(ClearMLException last, int attempts, long startNanos) {
        long seconds = Duration.ofNanos(System.nanoTime() - startNanos).toSeconds();
        String message = last.getMessage() + " (gave up after " + attempts + " attempts in " + seconds
                + " s; the retry window is " + window.toSeconds() + " s)";
        if (last instanceof TransportFailure f) {
            return new TransportFailure(last.endpoint(), f.kind, f.httpStatus, message, last);
        }
        return new ClearMLException(last.endpoint(), last.resultCode(), last.resultSubcode(), message, last);
    }

    private void sleep(long millis) throws ClearMLException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClearMLException(endpoint, 0, 0, endpoint + " was interrupted while waiting to retry", e);
        }
    }
}
