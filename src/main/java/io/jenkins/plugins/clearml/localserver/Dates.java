package io.jenkins.plugins.clearml.localserver;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Dates as the real server writes them: ISO-8601 with microseconds and a {@code +00:00} offset. */
final class Dates {

    private static final DateTimeFormatter ISO =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'+00:00'").withZone(ZoneOffset.UTC);

    private Dates() {
    }

    static String iso(Instant instant) {
        return ISO.format(instant);
    }
}
