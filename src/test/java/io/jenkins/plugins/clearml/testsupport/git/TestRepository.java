package io.jenkins.plugins.clearml.testsupport.git;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A repository a test builds: a working clone ({@link #work()}) whose commits are pushed to a bare repository
 * ({@link #bare()}), which is what the code under test clones (by {@link #fileUrl()}, through a {@link GitDaemon} or
 * a {@link GitHttpServer}).
 */
public final class TestRepository {

    private final Path work;
    private final Path bare;

    private TestRepository(Path work, Path bare) {
        this.work = work;
        this.bare = bare;
    }

    /** Creates {@code <root>/<name>.git} (bare) and {@code <root>/<name>-work} with one commit on {@code main}. */
    public static TestRepository create(Path root, String name) {
        Path bare = root.resolve(name + ".git");
        Path work = root.resolve(name + "-work");
        try {
            Files.createDirectories(bare);
            Files.createDirectories(work);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        TestGit.git(bare, "init", "--bare", "--quiet");
        TestGit.git(work, "init", "--quiet");
        TestGit.git(work, "remote", "add", "origin", bare.toString());
        TestRepository repo = new TestRepository(work, bare);
        repo.write("README.md", "# " + name + "\n");
        repo.commit("initial commit");
        repo.push();
        return repo;
    }

    public Path work() {
        return work;
    }

    public Path bare() {
        return bare;
    }

    public String fileUrl() {
        return "file://" + bare.toAbsolutePath();
    }

    /** Writes a file in the working clone (not committed). */
    public TestRepository write(String path, String content) {
        try {
            Path p = work.resolve(path);
            Files.createDirectories(p.getParent());
            Files.writeString(p, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** Stages everything and commits; returns the new commit id. */
    public String commit(String message) {
        TestGit.git(work, "add", "-A");
        TestGit.git(work, "commit", "--quiet", "--allow-empty", "-m", message);
        return head();
    }

    public String head() {
        return TestGit.git(work, "rev-parse", "HEAD");
    }

    /** Pushes every branch and tag to the bare repository. */
    public TestRepository push() {
        TestGit.git(work, "push", "--quiet", "--all", "origin");
        TestGit.git(work, "push", "--quiet", "--tags", "origin");
        return this;
    }

    public TestRepository tag(String name) {
        TestGit.git(work, "tag", "-a", name, "-m", "tag " + name);
        return this;
    }

    /** Creates and switches to a branch. */
    public TestRepository branch(String name) {
        TestGit.git(work, "checkout", "--quiet", "-b", name);
        return this;
    }

    public TestRepository checkout(String name) {
        TestGit.git(work, "checkout", "--quiet", name);
        return this;
    }

    /** What {@code git diff HEAD} prints for the uncommitted changes of the working clone (as the SDK records). */
    public String diff(String... extraArgs) {
        String[] args = new String[extraArgs.length + 2];
        args[0] = "diff";
        System.arraycopy(extraArgs, 0, args, 1, extraArgs.length);
        args[args.length - 1] = "HEAD";
        return TestGit.git(work, args) + "\n";
    }

    /** Throws away uncommitted changes and untracked files of the working clone. */
    public TestRepository discardChanges() {
        TestGit.git(work, "reset", "--quiet", "--hard");
        TestGit.git(work, "clean", "-fdq");
        return this;
    }

    /** Adds {@code other} as a submodule at {@code path} by {@code url}, commits and pushes. */
    public String addSubmodule(String url, String path) {
        TestGit.git(work, "submodule", "--quiet", "add", url, path);
        String id = commit("add submodule " + path);
        push();
        return id;
    }
}
