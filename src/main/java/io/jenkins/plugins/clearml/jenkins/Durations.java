package io.jenkins.plugins.clearml.jenkins;

/** Short human durations for the build page ("850 ms", "42 s", "3 min 5 s", "2 h 10 min"). */
public final class Durations {

    private Durations() {
    }

    public static String format(long millis) {
        if (millis < 0) {
            return "";
        }
        if (millis < 1000) {
            return millis + " ms";
        }
        long seconds = millis / 1000;
        if (seconds < 60) {
            return seconds + " s";
        }
        long minutes = seconds / 60;
        if (minutes < 60) {
            return minutes + " min " + (seconds % 60) + " s";
        }
        return (minutes / 60) + " h " + (minutes % 60) + " min";
    }
}
