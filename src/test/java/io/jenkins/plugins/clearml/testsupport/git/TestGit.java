package io.jenkins.plugins.clearml.testsupport.git;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Runs git for test fixtures, with a fixed identity and no dependence on the user's git configuration. */
public final class TestGit {

    private TestGit() {
    }

    /** Runs {@code git args...} in {@code dir}; fails the test with git's output when git fails. */
    public static String git(Path dir, String... args) {
        Result r = tryGit(dir, args);
        if (r.exitCode() != 0) {
            throw new IllegalStateException("git " + String.join(" ", args) + " failed in " + dir + ":\n" + r.output());
        }
        return r.output().strip();
    }

    /** Runs git and returns its exit code and output, whatever they are. */
    public static Result tryGit(Path dir, String... args) {
        List<String> command = new ArrayList<>(List.of("git", "-c", "init.defaultBranch=main", "-c",
                "protocol.file.allow=always", "-c", "commit.gpgsign=false", "-c", "tag.gpgsign=false"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        if (dir != null) {
            pb.directory(dir.toFile());
        }
        Map<String, String> env = pb.environment();
        env.put("GIT_AUTHOR_NAME", "Test Author");
        env.put("GIT_AUTHOR_EMAIL", "author@example.com");
        env.put("GIT_COMMITTER_NAME", "Test Author");
        env.put("GIT_COMMITTER_EMAIL", "author@example.com");
        env.put("GIT_TERMINAL_PROMPT", "0");
        env.put("LC_ALL", "C");
        env.remove("GIT_DIR");
        env.remove("GIT_WORK_TREE");
        try {
            Process p = pb.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return new Result(p.waitFor(), out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Exit code and merged output of a git command. */
    public record Result(int exitCode, String output) {
    }
}
