package io.jenkins.plugins.clearml.vcs;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Hides secrets in text bound for a console or an error message: every known secret, and any password embedded
 * in an http(s) address ({@code https://user:token@host}), which git may echo back.
 */
final class SecretMasker {

    static final String MASK = "****";
    private static final Pattern URL_PASSWORD = Pattern.compile("(?i)(https?://[^/@\\s:]*):[^/@\\s]+@");

    private final List<String> secrets;

    SecretMasker(List<String> secrets) {
        List<String> list = new ArrayList<>();
        for (String s : secrets) {
            if (s != null && !s.isEmpty()) {
                list.add(s);
                String encoded = java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
                if (!encoded.equals(s)) {
                    list.add(encoded);
                }
            }
        }
        // Longest first, so a secret that contains another is masked whole.
        list.sort(Comparator.comparingInt(String::length).reversed());
        this.secrets = List.copyOf(list);
    }

    String mask(String text) {
        if (text == null) {
            return null;
        }
        String out = URL_PASSWORD.matcher(text).replaceAll("$1:" + MASK + "@");
        for (String secret : secrets) {
            out = out.replace(secret, MASK);
        }
        return out;
    }

    List<String> secrets() {
        return secrets;
    }
}
