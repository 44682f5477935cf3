package io.jenkins.plugins.clearml.vcs;

import io.jenkins.plugins.clearml.client.TaskScript;
import io.jenkins.plugins.clearml.node.NodeAccess;
import io.jenkins.plugins.clearml.node.NodeFiles;
import io.jenkins.plugins.clearml.node.ProcessResult;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Brings a task's code into a workspace as the real agent does: clone through the local repository cache, check
 * out the recorded commit/tag/branch with submodules, apply the recorded uncommitted diff (or write a literal
 * script). Credentials reach git through an askpass helper, never a URL, log line or command line.
 *
 * <p>Everything happens through the {@link NodeAccess} ports, so the same code prepares a checkout on the machine
 * running it and on a remote Jenkins agent.
 */
public final class RepositoryPreparer {

    /** How long a run waits for another run on the node that holds the same cache entry (as the agent: 300 s). */
    public static final Duration DEFAULT_LOCK_TIMEOUT = Duration.ofSeconds(300);

    private static final Pattern COMMIT_ID = Pattern.compile("[0-9a-fA-F]{4,64}");
    private static final Pattern FULL_COMMIT_ID = Pattern.compile("[0-9a-fA-F]{40}|[0-9a-fA-F]{64}");
    private static final int MAX_SUBMODULE_DEPTH = 8;
    private static final Pattern FAILED_SUBMODULE =
            Pattern.compile("clone of '([^']+)' into submodule path '([^']+)' failed");

    private final NodeAccess node;
    private final GitSettings settings;
    private final Consumer<String> console;
    private final Duration lockTimeout;

    public RepositoryPreparer(NodeAccess node, GitSettings settings, Consumer<String> console) {
        this(node, settings, console, DEFAULT_LOCK_TIMEOUT);
    }

    public RepositoryPreparer(NodeAccess node, GitSettings settings, Consumer<String> console, Duration lockTimeout) {
        this.node = node;
        this.settings = settings;
        this.console = console;
        this.lockTimeout = lockTimeout;
    }

    /** Prepares the code under {@code workspaceDir} (which is emptied first). */
    public PreparedCode prepare(TaskScript script, String workspaceDir) throws VcsException, InterruptedException {
        NodeFiles files = node.files();
        EntryPoint entry = EntryPoint.of(script);
        UncommittedChanges changes = new UncommittedChanges(script.diff());
        try {
            files.deleteRecursively(workspaceDir);
            files.createDirectories(workspaceDir);
        } catch (IOException e) {
            throw new VcsException("failed preparing workspace", "Cannot empty the workspace " + workspaceDir
                    + " on node " + node.hostName() + ": " + e.getMessage() + ". Check its permissions and free space.", e);
        }
        if (script.repository() == null || script.repository().isBlank()) {
            return prepareWithoutRepository(script, entry, changes, workspaceDir);
        }
        GitAccess access = GitAccess.of(script.repository(), settings);
        SecretMasker masker = new SecretMasker(access.password() == null ? List.of()
                : List.of(access.password(), basicAuthorization(access.user(), access.password())));
        Consumer<String> maskedConsole = line -> console.accept(masker.mask(line));
        try (AskPass askPass = access.sendsCredentials() ? createAskPass(access) : null) {
            Map<String, String> env = new java.util.LinkedHashMap<>(GitRunner.baseEnvironment(node.environment()));
            if (askPass != null) {
                env.putAll(askPass.environment());
            }
            GitRunner git = new GitRunner(node.processes(), env, access.config(), masker, maskedConsole);
            return new Checkout(git, access, script, entry, changes, workspaceDir, maskedConsole).run();
        } catch (IOException e) {
            throw new VcsException("failed cloning repository", masker.mask("Cannot prepare the repository "
                    + access.url() + " on node " + node.hostName() + ": " + e.getMessage()), e);
        }
    }

    /** The secret as an HTTP Basic header carries it, should any git trace print the header. */
    private static String basicAuthorization(String user, String password) {
        return java.util.Base64.getEncoder().encodeToString((user + ":" + password)
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private AskPass createAskPass(GitAccess access) throws VcsException, InterruptedException {
        try {
            return AskPass.create(node.files(), access.user(), access.password(), access.credentialHost());
        } catch (IOException e) {
            throw new VcsException("failed cloning repository", "Cannot write the git credential helper into "
                    + node.files().tempDir() + " on node " + node.hostName() + ": " + e.getMessage()
                    + ". Check that the node's temporary folder is writable.", e);
        }
    }

    private PreparedCode prepareWithoutRepository(TaskScript script, EntryPoint entry, UncommittedChanges changes,
            String workspaceDir) throws VcsException, InterruptedException {
        NodeFiles files = node.files();
        String codeDir = files.resolve(workspaceDir, "code");
        String workingDir = entry.workingDirUnder(files, codeDir);
        String entryPoint = entry.entryPoint();
        try {
            files.createDirectories(workingDir);
            if (changes.isPatch()) {
                throw new VcsException("failed applying git diff", "The task records uncommitted changes as a git"
                        + " diff but no repository to apply them to. Set the task's repository (and commit), or"
                        + " store the script itself instead of a diff.");
            }
            if (!changes.isEmpty()) {
                entryPoint = writeLiteralScript(script, entry, changes, workingDir);
            }
        } catch (IOException e) {
            throw new VcsException("failed preparing workspace", "Cannot write the task's script into " + workingDir
                    + ": " + e.getMessage(), e);
        }
        console.accept("The task has no repository; its code is in " + codeDir);
        return new PreparedCode(codeDir, workingDir, entryPoint, "", false);
    }

    /** Writes a literal script (notebook or single-file task) under its entry point's name; returns the entry point. */
    private String writeLiteralScript(TaskScript script, EntryPoint entry, UncommittedChanges changes,
            String workingDir) throws IOException, InterruptedException, VcsException {
        String name = entry.scriptFileName(script.binary());
        String path = node.files().resolve(workingDir, name);
        node.files().writeString(path, changes.text(), false);
        console.accept("Wrote the task's script (" + changes.text().length() + " characters) to " + path);
        return entry.entryPoint().isBlank() || entry.entryPoint().startsWith("-") ? name : entry.entryPoint();
    }

    /** One checkout: clone, revision, submodules, changes. */
    private final class Checkout {
        private final GitRunner git;
        private final GitAccess access;
        private final TaskScript script;
        private final EntryPoint entry;
        private final UncommittedChanges changes;
        private final Consumer<String> out;
        private final String repoDir;
        private ProcessResult failedFetch;

        Checkout(GitRunner git, GitAccess access, TaskScript script, EntryPoint entry, UncommittedChanges changes,
                String workspaceDir, Consumer<String> out) {
            this.git = git;
            this.access = access;
            this.script = script;
            this.entry = entry;
            this.changes = changes;
            this.out = out;
            this.repoDir = node.files().resolve(workspaceDir, access.url().folderName());
        }

        PreparedCode run() throws VcsException, IOException, InterruptedException {
            requireGit();
            out.accept("Cloning " + access.url() + describeRevision()
                    + (access.sendsCredentials() ? " as user " + access.user() : "") + " into " + repoDir);
            if (access.sendsCredentials() && "http".equals(access.url().scheme())) {
                out.accept("Warning: sending git credentials over plain http to " + access.url().host()
                        + "; use an https address.");
            }
            cloneRepository();
            String commit = resolveRevision();
            ProcessResult checkout = git.run(repoDir, "checkout", "--force", commit);
            if (!checkout.succeeded()) {
                throw new VcsException("failed cloning repository", "Cannot check out " + commit + " of "
                        + access.url() + ": " + checkout.tail(5));
            }
            updateSubmodules();
            String workingDir = entry.workingDirUnder(node.files(), repoDir);
            String entryPoint = entry.entryPoint();
            if (!changes.isEmpty()) {
                if (changes.isPatch()) {
                    new PatchApplier(git, node.files(), out).apply(changes, repoDir, commit, access.url().toString());
                } else {
                    node.files().createDirectories(workingDir);
                    entryPoint = writeLiteralScript(script, entry, changes, workingDir);
                }
            }
            // HEAD is the commit checked out by id: applying the diff or updating submodules does not move it
            String head = commit;
            out.accept("Checked out " + access.url() + " at " + head);
            return new PreparedCode(repoDir, workingDir, entryPoint, head, true);
        }

        private String describeRevision() {
            List<String> parts = new ArrayList<>();
            if (notBlank(script.versionNum())) {
                parts.add("commit " + script.versionNum().strip());
            }
            if (notBlank(script.tag())) {
                parts.add("tag " + script.tag().strip());
            }
            if (notBlank(script.branch())) {
                parts.add("branch " + script.branch().strip());
            }
            return parts.isEmpty() ? " (default branch)" : " (" + String.join(", ", parts) + ")";
        }

        private void requireGit() throws VcsException, InterruptedException {
            try {
                ProcessResult version = git.run(null, "--version");
                if (version.succeeded()) {
                    out.accept("Using " + version.output().strip());
                    return;
                }
            } catch (IOException e) {
                // reported below
            }
            throw new VcsException("git not found", "git is not installed on node " + node.hostName()
                    + " (or not on the PATH of the user running the build). Install git on the node, e.g."
                    + " 'apt-get install git', and run the task again.");
        }

        private void cloneRepository() throws VcsException, IOException, InterruptedException {
            try {
                String cacheRoot = cacheRoot();
                if (cacheRoot != null) {
                    RepositoryCache.Outcome outcome = new RepositoryCache(node, cacheRoot, lockTimeout, out)
                            .cloneInto(access.url(), git, repoDir, pinnedCommit());
                    if (outcome.usedCache()) {
                        failedFetch = outcome.failedFetch();
                        if (failedFetch != null) {
                            out.accept("Warning: could not update the cached copy of " + access.url() + ": "
                                    + failedFetch.tail(1));
                        }
                        return;
                    }
                }
                ProcessResult clone = git.stream(null, "clone", "--no-checkout", "--progress", "--",
                        access.url().url(), repoDir);
                if (!clone.succeeded()) {
                    throw new RepositoryCache.RemoteException(clone);
                }
            } catch (RepositoryCache.RemoteException e) {
                throw cloneFailure(e.result());
            }
        }

        /** The task's commit when it is a full id (40 or 64 hex digits): an abbreviation may become ambiguous. */
        private String pinnedCommit() {
            String v = trimmed(script.versionNum());
            return FULL_COMMIT_ID.matcher(v).matches() ? v.toLowerCase(java.util.Locale.ROOT) : null;
        }

        private VcsException cloneFailure(ProcessResult result) {
            RemoteFailure kind = RemoteFailure.of(result.output());
            return new VcsException("failed cloning repository", kind.explain(access.url().toString(),
                    access.sendsCredentials()) + " Git said: " + result.tail(3).replace('\n', ' '));
        }

        private String cacheRoot() {
            String dir = settings.vcsCacheDir();
            if (dir == null || dir.isBlank()) {
                return null;
            }
            if (dir.equals("~") || dir.startsWith("~/")) {
                return node.files().resolve(node.files().home(), dir.substring(1));
            }
            return dir;
        }

        /** The commit to check out: version_num, else tag, else origin/branch, else origin/master, origin/main. */
        private String resolveRevision() throws VcsException, IOException, InterruptedException {
            String versionNum = trimmed(script.versionNum());
            if (!versionNum.isEmpty()) {
                if (!COMMIT_ID.matcher(versionNum).matches()) {
                    throw new VcsException("commit not found", "The task's commit '" + versionNum
                            + "' is not a commit id. Fix the task's version_num (a hexadecimal commit id).");
                }
                String found = verify(versionNum + "^{commit}");
                if (found == null && failedFetch == null) {
                    // Not on any branch or tag: some servers still serve it by id (e.g. a commit of a pull request).
                    git.run(repoDir, "fetch", "origin", versionNum);
                    found = verify(versionNum + "^{commit}");
                }
                if (found == null) {
                    staleCacheFailure();
                    throw new VcsException("commit not found", "Commit " + versionNum + " is not in " + access.url()
                            + " (searched every branch and tag). It was probably committed locally and never pushed:"
                            + " push it, or reset the task's commit, and run the task again.");
                }
                return found;
            }
            staleCacheFailure();
            String tag = trimmed(script.tag());
            if (!tag.isEmpty()) {
                String found = tag.startsWith("-") ? null : verify("refs/tags/" + tag + "^{commit}");
                if (found == null) {
                    throw new VcsException("tag not found", "Tag '" + tag + "' is not in " + access.url()
                            + ". Push the tag (git push origin " + tag + ") or fix the task's tag.");
                }
                return found;
            }
            String branch = branchName(trimmed(script.branch()));
            if (!branch.isEmpty()) {
                String found = branch.startsWith("-") ? null : verify("refs/remotes/origin/" + branch + "^{commit}");
                if (found == null) {
                    throw new VcsException("branch not found", "Branch '" + branch + "' is not in " + access.url()
                            + availableBranches() + ". Push the branch or fix the task's branch.");
                }
                return found;
            }
            for (String fallback : List.of("refs/remotes/origin/master", "refs/remotes/origin/main",
                    "refs/remotes/origin/HEAD")) {
                String found = verify(fallback + "^{commit}");
                if (found != null) {
                    out.accept("The task names no commit, tag or branch; using " + fallback.substring(13));
                    return found;
                }
            }
            throw new VcsException("branch not found", "The task names no commit, tag or branch, and " + access.url()
                    + " has neither a master nor a main branch" + availableBranches()
                    + ". Set the task's branch or commit.");
        }

        /** A failed fetch only matters when the cached copy cannot answer on its own. */
        private void staleCacheFailure() throws VcsException {
            if (failedFetch != null) {
                throw cloneFailure(failedFetch);
            }
        }

        private String verify(String revision) throws IOException, InterruptedException {
            ProcessResult r = git.run(repoDir, "rev-parse", "--verify", "--quiet", revision);
            return r.succeeded() ? r.output().strip() : null;
        }

        private String availableBranches() throws IOException, InterruptedException {
            ProcessResult r = git.run(repoDir, "for-each-ref", "--count=20", "--format=%(refname:lstrip=3)",
                    "refs/remotes/origin/");
            List<String> names = r.output().lines().map(String::strip)
                    .filter(s -> !s.isEmpty() && !s.equals("HEAD")).toList();
            return names.isEmpty() ? " (it has no branches)" : " (branches: " + String.join(", ", names) + ")";
        }

        private void updateSubmodules() throws VcsException, IOException, InterruptedException {
            if (!node.files().exists(node.files().resolve(repoDir, ".gitmodules"))) {
                return;
            }
            out.accept("Updating submodules");
            String cacheRoot = cacheRoot();
            if (cacheRoot == null) {
                ProcessResult r = git.stream(repoDir, "submodule", "update", "--init", "--recursive", "--force",
                        "--progress");
                requireSubmodules(r, repoDir);
                return;
            }
            updateSubmodulesThroughCache(repoDir, new RepositoryCache(node, cacheRoot, lockTimeout, out), 0);
        }

        /**
         * Clones each submodule with its own cache entry as {@code --reference}, so a later run downloads only what
         * changed in the submodules too; {@code --dissociate} copies the borrowed objects, leaving the checkout
         * independent of the cache.
         */
        private void updateSubmodulesThroughCache(String dir, RepositoryCache cache, int depth)
                throws VcsException, IOException, InterruptedException {
            NodeFiles files = node.files();
            if (!files.exists(files.resolve(dir, ".gitmodules"))) {
                return;
            }
            if (depth >= MAX_SUBMODULE_DEPTH) {
                requireSubmodules(git.stream(dir, "submodule", "update", "--init", "--recursive", "--force",
                        "--progress"), dir);
                return;
            }
            requireSubmodules(git.run(dir, "submodule", "init"), dir);
            Map<String, String> urls = submoduleSettings(git.run(dir, "config", "--get-regexp",
                    "^submodule\\..*\\.url$"), ".url");
            Map<String, String> paths = submoduleSettings(git.run(dir, "config", "-f", ".gitmodules",
                    "--get-regexp", "^submodule\\..*\\.path$"), ".path");
            for (Map.Entry<String, String> submodule : paths.entrySet()) {
                String url = urls.get(submodule.getKey());
                String path = submodule.getValue();
                if (url == null) {
                    continue; // not initialised: submodule.<name>.update=none or an inactive submodule
                }
                GitUrl effective = GitAccess.of(url, settings).url();
                ProcessResult r = cache.withEntry(effective, git, entry -> {
                    List<String> args = new ArrayList<>(List.of("submodule", "update", "--init", "--force",
                            "--progress"));
                    if (entry != null) {
                        args.addAll(List.of("--reference", entry, "--dissociate"));
                    }
                    args.add("--");
                    args.add(path);
                    return git.stream(dir, args.toArray(String[]::new));
                });
                requireSubmodules(r, dir);
                updateSubmodulesThroughCache(files.resolve(dir, path), cache, depth + 1);
            }
        }

        /** {@code submodule.<name><suffix> <value>} lines as name to value, in file order. */
        private static Map<String, String> submoduleSettings(ProcessResult r, String suffix) {
            Map<String, String> values = new java.util.LinkedHashMap<>();
            for (String line : r.output().split("\n")) {
                int space = line.indexOf(' ');
                if (space < 0 || !line.startsWith("submodule.")) {
                    continue;
                }
                String key = line.substring(0, space);
                if (key.endsWith(suffix)) {
                    values.put(key.substring("submodule.".length(), key.length() - suffix.length()),
                            line.substring(space + 1).strip());
                }
            }
            return values;
        }

        private void requireSubmodules(ProcessResult r, String dir) throws VcsException {
            if (r.succeeded()) {
                return;
            }
            java.util.regex.Matcher failed = FAILED_SUBMODULE.matcher(r.output());
            boolean named = failed.find();
            String which = named
                    ? "submodule " + failed.group(2).replace(repoDir + "/", "") + " (" + failed.group(1) + ")"
                    : "a submodule";
            RemoteFailure kind = RemoteFailure.of(r.output());
            String why = kind == RemoteFailure.OTHER ? ""
                    : kind.explain(named ? failed.group(1) : "the submodule", access.sendsCredentials()) + " ";
            throw new VcsException("failed cloning repository", "Cannot clone " + which + " of " + access.url()
                    + ". " + why + "Git said: " + r.tail(3).replace('\n', ' '));
        }
    }

    /** A recorded branch as {@code main}, whatever prefix the SDK kept ({@code origin/}, {@code refs/heads/}...). */
    static String branchName(String recorded) {
        String b = recorded;
        for (String prefix : List.of("refs/heads/", "refs/remotes/origin/", "remotes/origin/", "origin/")) {
            if (b.startsWith(prefix)) {
                return b.substring(prefix.length());
            }
        }
        return b;
    }

    private static String trimmed(String s) {
        return s == null ? "" : s.strip();
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }

}
