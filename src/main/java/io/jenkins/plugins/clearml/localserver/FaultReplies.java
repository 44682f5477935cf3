package io.jenkins.plugins.clearml.localserver;

import static io.jenkins.plugins.clearml.localserver.HttpReplies.send;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** What the server sends instead of an answer when its {@link FaultPlan} says so. */
final class FaultReplies {

    private static final byte[] HTML_PAGE = ("<!DOCTYPE html>\n<html lang=\"en\"><head><title>ClearML</title></head>"
            + "<body><div id=\"root\">ClearML web app</div></body></html>\n").getBytes(StandardCharsets.UTF_8);

    private FaultReplies() {
    }

    static void answer(HttpExchange ex, Fault fault, String path, Duration stallTime) throws IOException {
        switch (fault) {
            case SERVICE_UNAVAILABLE -> send(ex, 503, "text/plain",
                    "503 Service Temporarily Unavailable".getBytes(StandardCharsets.UTF_8));
            case INTERNAL_ERROR_PLAIN_TEXT -> send(ex, 500, "text/plain",
                    ("Failed processing request " + path).getBytes(StandardCharsets.UTF_8));
            case HTML_PAGE -> send(ex, 200, "text/html", HTML_PAGE);
            case GARBAGE -> send(ex, 200, "application/octet-stream",
                    "\u0000\u00ffnot json at all }{".getBytes(StandardCharsets.ISO_8859_1));
            case DROP_CONNECTION, LOSE_ANSWER -> ex.close();
            case STALL -> {
                try {
                    Thread.sleep(stallTime.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                ex.close();
            }
        }
    }
}
