package io.jenkins.plugins.clearml.jenkins;

/** The outcome of checking one form field, without Jenkins types; the descriptors turn it into a FormValidation. */
public record Verdict(Level level, String message) {

    /** How bad a field's value is. */
    public enum Level { OK, WARNING, ERROR }

    public static Verdict ok() {
        return new Verdict(Level.OK, "");
    }

    public static Verdict ok(String message) {
        return new Verdict(Level.OK, message);
    }

    public static Verdict warning(String message) {
        return new Verdict(Level.WARNING, message);
    }

    public static Verdict error(String message) {
        return new Verdict(Level.ERROR, message);
    }

    public boolean isError() {
        return level == Level.ERROR;
    }
}
