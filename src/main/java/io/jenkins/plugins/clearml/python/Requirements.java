package io.jenkins.plugins.clearml.python;

import io.jenkins.plugins.clearml.client.TaskScript;
import io.jenkins.plugins.clearml.node.NodeFiles;
import io.jenkins.plugins.clearml.vcs.PreparedCode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What to install into the venv, found as the real agent finds it (reference 3.5): the task's recorded
 * {@code pip} requirements; else the {@code requirements.txt} files in each folder from the repository root down
 * to the entry point's folder.
 *
 * @param pipText    the task's {@code pip} requirements, or {@code null} when they come from files
 * @param files      requirements.txt files on the node to install with {@code -r}, root first
 * @param pipLines   the requirement lines (stripped, without comments and blank lines), for the cache key
 * @param condaLines the task's {@code conda} lines, for the cache key
 */
record Requirements(String pipText, List<String> files, List<String> pipLines, List<String> condaLines) {

    /** Options that pull in other files or local folders: the cache key could not see their contents change. */
    private static final Pattern UNCACHEABLE = Pattern.compile(
            "^(-r|--requirement|-c|--constraint|-e|--editable)(\\s|=|$).*|^(\\.|/|~|file:).*");
    private static final Pattern VCS = Pattern.compile("^(git|hg|svn|bzr)\\+.*|^\\S+\\s*@\\s*(git|hg|svn|bzr)\\+.*");
    private static final Pattern PINNED_COMMIT = Pattern.compile(".*@[0-9a-fA-F]{40}(#.*)?$");

    Requirements {
        files = List.copyOf(files);
        pipLines = List.copyOf(pipLines);
        condaLines = List.copyOf(condaLines);
    }

    static Requirements of(TaskScript script, PreparedCode code, NodeFiles files)
            throws IOException, InterruptedException {
        List<String> conda = meaningfulLines(script == null ? "" : script.requirementText("conda"));
        String pip = script == null ? "" : script.requirementText("pip");
        if (!meaningfulLines(pip).isEmpty()) {
            return new Requirements(pip, List.of(), meaningfulLines(pip), conda);
        }
        List<String> found = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        for (String dir : foldersFromRootToEntryPoint(code)) {
            String candidate = files.resolve(dir, "requirements.txt");
            if (files.exists(candidate) && !files.isDirectory(candidate)) {
                found.add(candidate);
                lines.addAll(meaningfulLines(files.readString(candidate)));
            }
        }
        return new Requirements(null, found, lines, conda);
    }

    /** Stripped lines without blank lines and comments, as the agent hashes them. */
    static List<String> meaningfulLines(String text) {
        if (text == null) {
            return List.of();
        }
        return text.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    }

    boolean isEmpty() {
        return pipLines.isEmpty();
    }

    /**
     * Whether a venv built from these requirements may be shared: not when a line reads other files or local
     * folders, or a VCS package not pinned to a commit (its branch moves while the text stays the same).
     */
    boolean cacheable() {
        return cacheable(pipLines);
    }

    static boolean cacheable(List<String> pipLines) {
        for (String line : pipLines) {
            if (UNCACHEABLE.matcher(line).matches()) {
                return false;
            }
            if (VCS.matcher(line).matches() && !PINNED_COMMIT.matcher(line).matches()) {
                return false;
            }
        }
        return true;
    }

    /** For the console: where the requirements come from. */
    String origin() {
        if (pipText != null) {
            return "the task's recorded requirements";
        }
        return files.isEmpty() ? "nothing (no requirements recorded, no requirements.txt)" : String.join(", ", files);
    }

    /** The repository root, each folder below it down to the working dir, and the entry point's own folder. */
    static List<String> foldersFromRootToEntryPoint(PreparedCode code) {
        if (code == null || code.repositoryRoot() == null || code.repositoryRoot().isEmpty()) {
            return List.of();
        }
        String root = trimSlash(code.repositoryRoot());
        String deepest = code.workingDir() == null || code.workingDir().isEmpty() ? root : trimSlash(code.workingDir());
        String entry = code.entryPoint() == null ? "" : code.entryPoint().strip();
        if (!entry.isEmpty() && !entry.startsWith("-") && entry.indexOf('/') > 0 && !entry.contains(" ")) {
            deepest = deepest + "/" + entry.substring(0, entry.lastIndexOf('/'));
        }
        List<String> folders = new ArrayList<>();
        folders.add(root);
        if (deepest.startsWith(root + "/")) {
            String current = root;
            for (String part : Arrays.asList(deepest.substring(root.length() + 1).split("/"))) {
                if (part.isEmpty() || part.equals(".")) {
                    continue;
                }
                if (part.equals("..")) {
                    break; // never climb above the repository root
                }
                current = current + "/" + part;
                folders.add(current);
            }
        }
        return folders;
    }

    private static String trimSlash(String path) {
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }
}
