package io.jenkins.plugins.clearml.container;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders a docker command line for the console and the task log with secrets masked: values of {@code -e NAME=value}
 * whose name is secret ({@link SecretNames}), passwords inside URLs ({@code https://user:****@host}) and any known
 * secret value. The command actually run is unchanged.
 */
public final class CommandMasker {

    static final String MASK = "********";
    private static final Pattern URL_PASSWORD = Pattern.compile("(?<=://)([^/@:\\s]*):([^/@\\s]+)@");

    private final SecretNames secretNames;
    private final List<String> secretValues;

    public CommandMasker(SecretNames secretNames, Collection<String> secretValues) {
        this.secretNames = secretNames;
        this.secretValues = secretValues.stream().filter(v -> v != null && v.length() >= 3).toList();
    }

    public String display(List<String> command) {
        List<String> shown = new ArrayList<>(command.size());
        boolean nextIsEnv = false;
        for (String word : command) {
            String out;
            if (nextIsEnv) {
                out = maskAssignment(word);
                nextIsEnv = false;
            } else if (word.equals("-e") || word.equals("--env")) {
                out = word;
                nextIsEnv = true;
            } else if (word.startsWith("--env=")) {
                out = "--env=" + maskAssignment(word.substring("--env=".length()));
            } else if (word.startsWith("-e") && word.length() > 2 && word.indexOf('=') > 2) {
                out = "-e" + maskAssignment(word.substring(2));
            } else {
                out = word;
            }
            shown.add(quote(maskValues(out)));
        }
        return String.join(" ", shown);
    }

    private String maskAssignment(String assignment) {
        int eq = assignment.indexOf('=');
        if (eq <= 0) {
            return assignment;
        }
        String name = assignment.substring(0, eq);
        return secretNames.isSecret(name) ? name + "=" + MASK : assignment;
    }

    private String maskValues(String word) {
        String out = word;
        for (String secret : secretValues) {
            out = out.replace(secret, MASK);
        }
        Matcher m = URL_PASSWORD.matcher(out);
        return m.replaceAll(r -> Matcher.quoteReplacement(r.group(1) + ":" + MASK + "@"));
    }

    /** Quotes a word that a reader would otherwise misread (spaces, quotes, empty); for display only. */
    private static String quote(String word) {
        if (!word.isEmpty() && word.chars().noneMatch(c -> Character.isWhitespace(c) || c == '\'' || c == '\\')) {
            return word;
        }
        return "'" + word.replace("'", "'\\''") + "'";
    }
}
