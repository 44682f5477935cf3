package io.jenkins.plugins.clearml.vcs;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code script.diff} of a task: either a patch of uncommitted changes (what {@code git diff} printed on the
 * machine that created the task) or, for a single-file or notebook task, the literal script itself.
 */
final class UncommittedChanges {

    private static final Pattern QUOTED = Pattern.compile("^\"((?:[^\"\\\\]|\\\\.)*)\"");

    private final String text;

    UncommittedChanges(String text) {
        this.text = text == null ? "" : text;
    }

    boolean isEmpty() {
        return text.isBlank();
    }

    /** As the agent decides: a patch starts with {@code diff } (or a {@code submodule } line before a diff). */
    boolean isPatch() {
        String t = text.stripLeading();
        if (t.startsWith("diff ")) {
            return true;
        }
        if (t.regionMatches(true, 0, "submodule ", 0, 10)) {
            return t.contains("\ndiff ") || t.contains("\n--- ");
        }
        // A plain unified diff without git's header lines; a Python or shell script cannot start like this.
        return t.startsWith("--- ") && t.contains("\n+++ ") && t.contains("\n@@ ");
    }

    /** The patch as git apply wants it: ending with a line break. */
    byte[] patchBytes() {
        String t = text.endsWith("\n") ? text : text + "\n";
        return t.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    String text() {
        return text;
    }

    /** One file touched by the patch: its old path ({@code null} when the patch creates it) and new path. */
    record FileChange(String oldPath, String newPath) {
    }

    /**
     * Whether the paths carry git's one-letter prefixes ({@code a/} {@code b/}, or the mnemonic {@code c/ i/ w/ o/}),
     * i.e. whether {@code -p1} is right. A diff made with {@code diff.noprefix=true} has none and needs {@code -p0}.
     */
    boolean hasPrefixes() {
        boolean any = false;
        for (FileChange change : rawChanges()) {
            String o = change.oldPath();
            String n = change.newPath();
            if (o != null && n != null) {
                any = true;
                if (!prefixed(o) || !prefixed(n) || o.charAt(0) == n.charAt(0)) {
                    return false;
                }
            } else if (o != null || n != null) {
                any = true;
                if (!prefixed(o != null ? o : n)) {
                    return false;
                }
            }
        }
        return any || !text.contains("\n--- ");
    }

    private static boolean prefixed(String path) {
        return path.length() > 2 && path.charAt(1) == '/' && "abciow12".indexOf(path.charAt(0)) >= 0;
    }

    /** The changed files with the prefix stripped as {@code git apply -p<strip>} would. */
    List<FileChange> changes(int strip) {
        List<FileChange> out = new ArrayList<>();
        for (FileChange c : rawChanges()) {
            out.add(new FileChange(strip(c.oldPath(), strip), strip(c.newPath(), strip)));
        }
        return out;
    }

    private static String strip(String path, int components) {
        if (path == null) {
            return null;
        }
        String p = path;
        for (int i = 0; i < components; i++) {
            int slash = p.indexOf('/');
            if (slash < 0) {
                return p;
            }
            p = p.substring(slash + 1);
        }
        return p;
    }

    /** Pairs of {@code ---}/{@code +++} paths, {@code /dev/null} as {@code null}, quoting and timestamps removed. */
    private List<FileChange> rawChanges() {
        List<FileChange> out = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i + 1 < lines.length; i++) {
            if (lines[i].startsWith("--- ") && lines[i + 1].startsWith("+++ ")) {
                out.add(new FileChange(path(lines[i].substring(4)), path(lines[i + 1].substring(4))));
                i++;
            }
        }
        return out;
    }

    private static String path(String field) {
        String f = field.stripTrailing();
        Matcher q = QUOTED.matcher(f);
        if (q.find()) {
            f = unquote(q.group(1));
        } else {
            int tab = f.indexOf('\t');
            if (tab >= 0) {
                f = f.substring(0, tab);
            }
        }
        return f.equals("/dev/null") ? null : f;
    }

    private static String unquote(String s) {
        StringBuilder sb = new StringBuilder();
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char n = s.charAt(++i);
                if (n >= '0' && n <= '7' && i + 2 < s.length()) {
                    bytes.write(Integer.parseInt(s.substring(i, i + 3), 8));
                    i += 2;
                    continue;
                }
                flush(bytes, sb);
                sb.append(switch (n) {
                    case 'n' -> '\n';
                    case 't' -> '\t';
                    default -> n;
                });
            } else {
                flush(bytes, sb);
                sb.append(c);
            }
        }
        flush(bytes, sb);
        return sb.toString();
    }

    private static void flush(java.io.ByteArrayOutputStream bytes, StringBuilder sb) {
        if (bytes.size() > 0) {
            sb.append(bytes.toString(java.nio.charset.StandardCharsets.UTF_8));
            bytes.reset();
        }
    }

    /** File names that {@code git apply} reported as failing, in order. */
    static Set<String> failingFiles(String gitApplyOutput) {
        Set<String> files = new LinkedHashSet<>();
        Pattern[] patterns = {
            Pattern.compile("(?m)^error: patch failed: (.+):\\d+$"),
            Pattern.compile("(?m)^error: (.+): patch does not apply$"),
            Pattern.compile("(?m)^error: (.+): No such file or directory$"),
            Pattern.compile("(?m)^error: (.+): does not exist in index$"),
            Pattern.compile("(?m)^error: (.+): already exists in working directory$"),
        };
        for (Pattern p : patterns) {
            Matcher m = p.matcher(gitApplyOutput);
            while (m.find()) {
                files.add(m.group(1));
            }
        }
        return files;
    }
}
