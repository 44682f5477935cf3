package io.jenkins.plugins.clearml.vcs;

import io.jenkins.plugins.clearml.client.TaskScript;
import io.jenkins.plugins.clearml.node.NodeFiles;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The task's entry point and working directory, as the agent reads them: {@code script.working_dir}, or when it is
 * empty the {@code working_dir} part of an {@code entry:working_dir} entry point.
 *
 * @param entryPoint the script path relative to the working directory, or {@code -m module ...}
 * @param workingDir relative to the repository root; empty for the root
 */
record EntryPoint(String entryPoint, String workingDir) {

    static EntryPoint of(TaskScript script) {
        String entry = script.entryPoint() == null ? "" : script.entryPoint().strip();
        String dir = script.workingDir() == null ? "" : script.workingDir().strip();
        int colon = entry.lastIndexOf(':');
        if (dir.isEmpty() && colon > 0 && !entry.startsWith("-")) {
            dir = entry.substring(colon + 1).strip();
            entry = entry.substring(0, colon).strip();
        }
        return new EntryPoint(entry, dir);
    }

    /** The absolute working directory under {@code root}; refuses one that leaves the root. */
    String workingDirUnder(NodeFiles files, String root) throws VcsException {
        String relative = normalize(workingDir, "working directory");
        return relative.isEmpty() ? root : files.resolve(root, relative);
    }

    /** The file a literal script is written to: the entry point, or {@code untitled.py}/{@code untitled.sh}. */
    String scriptFileName(String binary) throws VcsException {
        if (entryPoint.isEmpty() || entryPoint.startsWith("-")) {
            String b = binary == null ? "" : binary.strip();
            boolean shell = b.endsWith("bash") || b.endsWith("zsh") || b.endsWith("sh");
            return shell ? "untitled.sh" : "untitled.py";
        }
        return normalize(entryPoint, "entry point");
    }

    /** Removes {@code .} and resolves {@code ..}; a path that is absolute or climbs out of its root is refused. */
    static String normalize(String path, String what) throws VcsException {
        if (path.startsWith("/")) {
            throw new VcsException("invalid " + what, "The task's " + what + " '" + path
                    + "' is absolute; it must be relative to the repository. Fix the task's " + what + ".");
        }
        Deque<String> parts = new ArrayDeque<>();
        for (String part : path.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (parts.isEmpty()) {
                    throw new VcsException("invalid " + what, "The task's " + what + " '" + path
                            + "' points outside the repository. Fix the task's " + what + ".");
                }
                parts.removeLast();
            } else {
                parts.addLast(part);
            }
        }
        return String.join("/", parts);
    }
}
