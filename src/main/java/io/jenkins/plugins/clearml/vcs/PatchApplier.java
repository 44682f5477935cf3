package io.jenkins.plugins.clearml.vcs;

import io.jenkins.plugins.clearml.node.NodeFiles;
import io.jenkins.plugins.clearml.node.ProcessResult;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Applies a task's uncommitted changes to its checkout. Like the agent it first creates empty files for paths the
 * patch modifies but the checkout lacks, then runs {@code git apply --unidiff-zero}. Where the agent stops, it
 * goes on: the other path-prefix convention (a diff made with {@code diff.noprefix}), a whitespace-tolerant apply,
 * and finally a three-way merge against the blobs the diff names. Each attempt is checked first, so a failed one
 * leaves no half-applied files behind.
 */
final class PatchApplier {

    private final GitRunner git;
    private final NodeFiles files;
    private final Consumer<String> out;

    PatchApplier(GitRunner git, NodeFiles files, Consumer<String> out) {
        this.git = git;
        this.files = files;
        this.out = out;
    }

    void apply(UncommittedChanges changes, String repoDir, String commit, String url)
            throws VcsException, IOException, InterruptedException {
        byte[] patch = changes.patchBytes();
        int primary = changes.hasPrefixes() ? 1 : 0;
        Set<String> missing = createMissingFiles(changes.changes(primary), repoDir);
        List<List<String>> attempts = new ArrayList<>();
        for (int strip : primary == 1 ? new int[] {1, 0} : new int[] {0, 1}) {
            attempts.add(List.of("-p" + strip, "--unidiff-zero"));
            attempts.add(List.of("-p" + strip, "--unidiff-zero", "--ignore-whitespace", "--recount"));
        }
        String firstError = null;
        for (List<String> flags : attempts) {
            ProcessResult check = apply(repoDir, patch, flags, true);
            if (check.succeeded()) {
                ProcessResult applied = apply(repoDir, patch, flags, false);
                if (applied.succeeded()) {
                    report(changes, primary, flags);
                    return;
                }
                check = applied;
            }
            if (firstError == null) {
                firstError = check.output();
            }
        }
        ProcessResult threeWay = apply(repoDir, patch, List.of("-p" + primary, "--3way"), false);
        if (threeWay.succeeded()) {
            out.accept("Applied the task's uncommitted changes with a three-way merge (" + count(changes, primary)
                    + " files); they were made against other file contents than commit " + shortId(commit) + ".");
            return;
        }
        throw failure(firstError, missing, commit, url);
    }

    private ProcessResult apply(String repoDir, byte[] patch, List<String> flags, boolean check)
            throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("apply", "--whitespace=nowarn"));
        if (check) {
            args.add("--check");
        }
        args.addAll(flags);
        args.add("-");
        return git.runWithInput(repoDir, patch, args.toArray(String[]::new));
    }

    /** The agent's step: an empty file for every path the patch changes that is not in the checkout. */
    private Set<String> createMissingFiles(List<UncommittedChanges.FileChange> fileChanges, String repoDir)
            throws IOException, InterruptedException {
        Set<String> missing = new LinkedHashSet<>();
        for (UncommittedChanges.FileChange change : fileChanges) {
            if (change.oldPath() == null) {
                continue; // a new file: git apply creates it
            }
            String relative;
            try {
                relative = EntryPoint.normalize(change.oldPath(), "patched file");
            } catch (VcsException outside) {
                continue; // git apply refuses such paths itself, with its own message
            }
            String path = files.resolve(repoDir, relative);
            if (!relative.isEmpty() && !files.exists(path)) {
                missing.add(relative);
                files.write(path, new byte[0], false);
            }
        }
        return missing;
    }

    private VcsException failure(String gitOutput, Set<String> missing, String commit, String url) {
        Set<String> failing = UncommittedChanges.failingFiles(gitOutput);
        StringBuilder msg = new StringBuilder("The task's uncommitted changes (script.diff) do not apply to commit ")
                .append(shortId(commit)).append(" of ").append(url);
        if (!failing.isEmpty()) {
            msg.append("; failing files: ").append(String.join(", ", failing));
        }
        msg.append('.');
        if (!missing.isEmpty()) {
            msg.append(" These files do not exist at that commit: ").append(String.join(", ", missing))
                    .append(". They were probably added in a local commit that was never pushed: push it (git push)"
                            + " and run the task again.");
        } else {
            msg.append(" The files at that commit differ from those the diff was made against: push the commits the"
                    + " changes build on, or reset the task's commit and diff.");
        }
        String tail = gitOutput == null ? "" : gitOutput.strip();
        if (!tail.isEmpty()) {
            String[] lines = tail.split("\n");
            msg.append(" git apply said: ")
                    .append(String.join(" ", java.util.Arrays.copyOfRange(lines, Math.max(0, lines.length - 3),
                            lines.length)));
        }
        return new VcsException("failed applying git diff", msg.toString());
    }

    private void report(UncommittedChanges changes, int primary, List<String> flags) {
        String how = flags.contains("--ignore-whitespace") ? " ignoring whitespace differences" : "";
        String prefix = flags.get(0).equals("-p0") ? " (paths without a/ b/ prefixes)" : "";
        out.accept("Applied the task's uncommitted changes (" + count(changes, primary) + " files)" + how + prefix);
    }

    private static int count(UncommittedChanges changes, int strip) {
        return changes.changes(strip).size();
    }

    private static String shortId(String commit) {
        return commit.length() > 12 ? commit.substring(0, 12) : commit;
    }
}
