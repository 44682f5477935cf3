package io.jenkins.plugins.clearml.config;

/**
 * Quotes the unquoted URLs of a {@code clearml.conf}. {@code clearml-init} writes {@code api_server: http://host:8008}
 * without quotes; the Python agent's pyhocon reads that as a URL, but in HOCON proper {@code //} starts a comment, so
 * Typesafe Config would read {@code http:} and fail. Everything else (comments, quoted strings, substitutions) is left
 * exactly as written.
 */
final class UnquotedUrls {

    private UnquotedUrls() {
    }

    static String quote(String text) {
        StringBuilder out = new StringBuilder(text.length() + 32);
        int i = 0;
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            if (text.startsWith("\"\"\"", i)) {
                int end = text.indexOf("\"\"\"", i + 3);
                end = end < 0 ? n : end + 3;
                out.append(text, i, end);
                i = end;
            } else if (c == '"') {
                int end = i + 1;
                while (end < n && text.charAt(end) != '"' && text.charAt(end) != '\n') {
                    end += text.charAt(end) == '\\' ? 2 : 1;
                }
                end = Math.min(n, end + 1);
                out.append(text, i, end);
                i = end;
            } else if (c == '#' || text.startsWith("//", i)) {
                int end = text.indexOf('\n', i);
                end = end < 0 ? n : end;
                out.append(text, i, end);
                i = end;
            } else if (Character.isLetter(c) && atTokenStart(text, i)) {
                int end = urlEnd(text, i);
                if (end > i) {
                    out.append('"').append(text, i, end).append('"');
                } else {
                    end = i + 1;
                    while (end < n && (Character.isLetterOrDigit(text.charAt(end)) || text.charAt(end) == '_')) {
                        end++;
                    }
                    out.append(text, i, end);
                }
                i = end;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    private static boolean atTokenStart(String text, int i) {
        if (i == 0) {
            return true;
        }
        char p = text.charAt(i - 1);
        return Character.isWhitespace(p) || p == ':' || p == '=' || p == '[' || p == ',' || p == '{';
    }

    /** The end of a {@code scheme://...} token starting at {@code i}, or {@code i} if there is none. */
    private static int urlEnd(String text, int i) {
        int j = i;
        while (j < text.length() && (Character.isLetterOrDigit(text.charAt(j)) || "+.-".indexOf(text.charAt(j)) >= 0)) {
            j++;
        }
        if (!text.startsWith("://", j)) {
            return i;
        }
        j += 3;
        while (j < text.length()) {
            char c = text.charAt(j);
            if (Character.isWhitespace(c) || c == ',' || c == '}' || c == ']' || c == '#' || c == '"') {
                break;
            }
            j++;
        }
        return j;
    }
}
