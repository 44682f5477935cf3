package io.jenkins.plugins.clearml.jenkins;

import java.util.Arrays;
import java.util.List;

/** Normalisation of form and Pipeline input: Jenkins sends empty strings where nothing was entered. */
public final class Strings {

    private Strings() {
    }

    /** Trimmed, with {@code null} as the empty string. */
    public static String trim(String value) {
        return value == null ? "" : value.trim();
    }

    public static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }

    /** The non-blank trimmed lines of a text area. */
    public static List<String> lines(String text) {
        if (text == null) {
            return List.of();
        }
        return Arrays.stream(text.split("\\R")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}
