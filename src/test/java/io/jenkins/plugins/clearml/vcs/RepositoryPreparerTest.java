package io.jenkins.plugins.clearml.vcs;

import static io.jenkins.plugins.clearml.testsupport.git.TestGit.git;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.clearml.client.TaskScript;
import io.jenkins.plugins.clearml.testsupport.git.RecordingNode;
import io.jenkins.plugins.clearml.testsupport.git.TestRepository;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checkouts with real git from repositories the test builds, reached by file:// addresses. */
class RepositoryPreparerTest {

    @TempDir
    Path tmp;

    private TestRepository repo;
    private RecordingNode node;
    private final List<String> console = new CopyOnWriteArrayList<>();
    private Path workspace;

    @BeforeEach
    void setUp() throws Exception {
        repo = TestRepository.create(tmp.resolve("remote"), "project");
        Files.createDirectories(tmp.resolve("node-tmp"));
        node = RecordingNode.local(tmp.resolve("node-tmp"));
        workspace = tmp.resolve("ws");
    }

    private RepositoryPreparer preparer(String cacheDir) {
        return new RepositoryPreparer(node.access(), new GitSettings(null, null, null, cacheDir, true, false),
                console::add);
    }

    private PreparedCode prepare(TaskScript script) throws Exception {
        return preparer(tmp.resolve("cache").toString()).prepare(script, workspace.toString());
    }

    static TaskScript script(String repository, String branch, String tag, String commit, String entry,
            String workingDir, String diff) {
        return new TaskScript("python3", repository, branch, tag, commit, entry, workingDir, diff, Map.of());
    }

    @Test
    void checksOutTheRecordedCommitNotTheLatest() throws Exception {
        repo.write("train.py", "print('v1')\n");
        String first = repo.commit("v1");
        repo.write("train.py", "print('v2')\n");
        repo.commit("v2");
        repo.push();

        PreparedCode code = prepare(script(repo.fileUrl(), "main", null, first, "train.py", ".", null));

        assertThat(code.hasRepository()).isTrue();
        assertThat(code.headCommit()).isEqualTo(first);
        assertThat(code.repositoryRoot()).isEqualTo(workspace.resolve("project").toString());
        assertThat(code.workingDir()).isEqualTo(code.repositoryRoot());
        assertThat(code.entryPoint()).isEqualTo("train.py");
        assertThat(Path.of(code.repositoryRoot(), "train.py")).hasContent("print('v1')");
        // The SDK inside the task reads the remote: it must be the real repository, not the cache.
        assertThat(git(Path.of(code.repositoryRoot()), "remote", "get-url", "origin")).isEqualTo(repo.fileUrl());
        assertThat(console).anyMatch(l -> l.contains("Checked out") && l.contains(first));
    }

    @Test
    void resolvesTagThenBranchThenDefaultBranch() throws Exception {
        String tagged = repo.write("a.txt", "tagged\n").commit("tagged");
        repo.tag("v1.0");
        String mainHead = repo.write("a.txt", "main\n").commit("main moves on");
        repo.branch("feature");
        String featureHead = repo.write("a.txt", "feature\n").commit("feature work");
        repo.checkout("main").push();

        assertThat(prepare(script(repo.fileUrl(), "feature", "v1.0", null, "a.txt", "", null)).headCommit())
                .as("a tag wins over a branch").isEqualTo(tagged);
        assertThat(prepare(script(repo.fileUrl(), "feature", null, null, "a.txt", "", null)).headCommit())
                .isEqualTo(featureHead);
        assertThat(prepare(script(repo.fileUrl(), "origin/feature", null, "", "a.txt", "", null)).headCommit())
                .as("the SDK sometimes records the remote prefix").isEqualTo(featureHead);
        assertThat(prepare(script(repo.fileUrl(), null, null, null, "a.txt", "", null)).headCommit())
                .as("no revision: origin/master, then origin/main").isEqualTo(mainHead);
    }

    @Test
    void aCommitThatWasNeverPushedFailsWithAClearMessage() {
        repo.write("local.txt", "x\n");
        String unpushed = repo.commit("never pushed");

        assertThatThrownBy(() -> prepare(script(repo.fileUrl(), "main", null, unpushed, "train.py", "", null)))
                .isInstanceOfSatisfying(VcsException.class, e -> {
                    assertThat(e.statusReason()).isEqualTo("commit not found");
                    assertThat(e.getMessage()).contains(unpushed).contains(repo.fileUrl()).contains("push");
                });
    }

    @Test
    void unknownTagAndBranchAreNamed() {
        repo.branch("dev").commit("dev");
        repo.push();
        assertThatThrownBy(() -> prepare(script(repo.fileUrl(), null, "v9", null, "t.py", "", null)))
                .isInstanceOfSatisfying(VcsException.class, e -> {
                    assertThat(e.statusReason()).isEqualTo("tag not found");
                    assertThat(e.getMessage()).contains("'v9'");
                });
        assertThatThrownBy(() -> prepare(script(repo.fileUrl(), "nope", null, null, "t.py", "", null)))
                .isInstanceOfSatisfying(VcsException.class, e -> {
                    assertThat(e.statusReason()).isEqualTo("branch not found");
                    assertThat(e.getMessage()).contains("'nope'").contains("dev").contains("main");
                });
    }

    @Test
    void appliesTheRecordedUncommittedChanges() throws Exception {
        repo.write("src/model.py", "a = 1\nb = 2\nc = 3\n").commit("model");
        repo.push();
        String base = repo.head();
        repo.write("src/model.py", "a = 1\nb = 20\nc = 3\n").write("src/new_file.py", "print('new')\n");
        git(repo.work(), "add", "-N", "src/new_file.py");
        String diff = repo.diff();
        repo.discardChanges();

        PreparedCode code = prepare(script(repo.fileUrl(), "main", null, base, "model.py", "src", diff));

        assertThat(code.workingDir()).isEqualTo(workspace.resolve("project/src").toString());
        assertThat(Path.of(code.workingDir(), "model.py")).hasContent("a = 1\nb = 20\nc = 3");
        assertThat(Path.of(code.workingDir(), "new_file.py")).hasContent("print('new')");
        assertThat(code.headCommit()).isEqualTo(base);
        assertThat(console).anyMatch(l -> l.startsWith("Applied the task's uncommitted changes (2 files)"));
    }

    @Test
    void appliesADiffMadeWithNoPrefix() throws Exception {
        repo.write("cfg.yaml", "lr: 0.1\n").commit("cfg");
        repo.push();
        repo.write("cfg.yaml", "lr: 0.01\n");
        String diff = repo.diff("--no-prefix");
        repo.discardChanges();
        assertThat(diff).contains("--- cfg.yaml").doesNotContain("a/cfg.yaml");

        PreparedCode code = prepare(script(repo.fileUrl(), "main", null, repo.head(), "x.py", "", diff));

        assertThat(Path.of(code.repositoryRoot(), "cfg.yaml")).hasContent("lr: 0.01");
    }

    @Test
    void aDiffOnOtherContentsFailsAndNamesTheFile() throws Exception {
        repo.write("train.py", "epochs = 1\n").commit("train");
        repo.push();
        String base = repo.head();
        repo.write("train.py", "epochs = 5\n");
        String diff = repo.diff();
        repo.discardChanges();
        repo.write("train.py", "epochs = 2\nseed = 0\n").commit("someone else changed it");
        repo.push();

        assertThatThrownBy(() -> prepare(script(repo.fileUrl(), "main", null, repo.head(), "train.py", "", diff)))
                .isInstanceOfSatisfying(VcsException.class, e -> {
                    assertThat(e.statusReason()).isEqualTo("failed applying git diff");
                    assertThat(e.getMessage()).contains("train.py").contains(repo.head().substring(0, 12));
                });
        assertThat(base).isNotEqualTo(repo.head());
    }

    @Test
    void aDiffWhoseContextOnlyChangedWhitespaceStillApplies() throws Exception {
        repo.write("m.py", "a = 1\nb = 2\nc = 3\nd = 4\ne = 5\n").commit("m");
        repo.push();
        repo.write("m.py", "a = 1\nb = 2\nc = 30\nd = 4\ne = 5\n");
        String diff = repo.diff();
        repo.discardChanges();
        String reformatted = repo.write("m.py", "a = 1\nb =  2\nc = 3\nd =  4\ne = 5\n").commit("reformat");
        repo.push();

        PreparedCode code = prepare(script(repo.fileUrl(), "main", null, reformatted, "m.py", "", diff));

        assertThat(Path.of(code.repositoryRoot(), "m.py")).content().contains("c = 30");
        assertThat(console).anyMatch(l -> l.contains("ignoring whitespace differences"));
    }

    @Test
    void aDiffOnAMovedBaseIsMergedThreeWay() throws Exception {
        String lines = "l1\nl2\nl3\nl4\nl5\nl6\nl7\nl8\nl9\n";
        repo.write("m.py", lines).commit("m");
        repo.push();
        repo.write("m.py", lines.replace("l5", "L5 changed locally"));
        String diff = repo.diff();
        repo.discardChanges();
        // Someone changes a line inside the diff's context: a plain apply fails, a merge does not conflict.
        String moved = repo.write("m.py", lines.replace("l3", "L3 changed upstream")).commit("upstream");
        repo.push();

        PreparedCode code = prepare(script(repo.fileUrl(), "main", null, moved, "m.py", "", diff));

        assertThat(Path.of(code.repositoryRoot(), "m.py")).content()
                .contains("L3 changed upstream").contains("L5 changed locally");
        assertThat(console).anyMatch(l -> l.contains("three-way merge"));
    }

    @Test
    void aDiffOnFilesOfAnUnpushedCommitHintsAtPushing() throws Exception {
        String pushed = repo.head();
        repo.write("utils/helpers.py", "def f():\n    return 1\n").commit("local only");
        repo.write("utils/helpers.py", "def f():\n    return 2\n");
        String diff = repo.diff();

        assertThatThrownBy(() -> prepare(script(repo.fileUrl(), "main", null, pushed, "train.py", "", diff)))
                .isInstanceOfSatisfying(VcsException.class, e -> {
                    assertThat(e.statusReason()).isEqualTo("failed applying git diff");
                    assertThat(e.getMessage()).contains("utils/helpers.py").contains("never pushed");
                });
    }

    @Test
    void aLiteralScriptIsWrittenUnderTheEntryPointInTheWorkingDir() throws Exception {
        PreparedCode code = prepare(script(repo.fileUrl(), "main", null, repo.head(), "run.py:jobs", null,
                "print('notebook')\n"));

        assertThat(code.entryPoint()).isEqualTo("run.py");
        assertThat(code.workingDir()).isEqualTo(workspace.resolve("project/jobs").toString());
        assertThat(Path.of(code.workingDir(), "run.py")).hasContent("print('notebook')");
    }

    @Test
    void withoutARepositoryTheScriptGoesToTheCodeFolder() throws Exception {
        PreparedCode code = prepare(script("", null, null, null, "", "", "import sys\nprint(sys.argv)\n"));

        assertThat(code.hasRepository()).isFalse();
        assertThat(code.headCommit()).isEmpty();
        assertThat(code.repositoryRoot()).isEqualTo(workspace.resolve("code").toString());
        assertThat(code.entryPoint()).isEqualTo("untitled.py");
        assertThat(Path.of(code.workingDir(), "untitled.py")).hasContent("import sys\nprint(sys.argv)");
    }

    @Test
    void theWorkspaceIsEmptiedFirst() throws Exception {
        Files.createDirectories(workspace.resolve("project"));
        Files.writeString(workspace.resolve("project/stale.txt"), "left over");
        Files.writeString(workspace.resolve("other.txt"), "left over");

        prepare(script(repo.fileUrl(), "main", null, null, "x.py", "", null));

        assertThat(workspace.resolve("project/stale.txt")).doesNotExist();
        assertThat(workspace.resolve("other.txt")).doesNotExist();
        assertThat(workspace.resolve("project/README.md")).exists();
    }

    @Test
    void workingDirOutsideTheRepositoryIsRefused() {
        assertThatThrownBy(() -> prepare(script(repo.fileUrl(), "main", null, null, "x.py", "../..", null)))
                .isInstanceOfSatisfying(VcsException.class,
                        e -> assertThat(e.getMessage()).contains("outside the repository"));
    }

    @Test
    void clonesSubmodulesRecursively() throws Exception {
        TestRepository inner = TestRepository.create(tmp.resolve("remote"), "inner");
        inner.write("lib.py", "VALUE = 42\n").commit("lib");
        inner.push();
        repo.addSubmodule(inner.fileUrl(), "third_party/inner");

        PreparedCode code = prepare(script(repo.fileUrl(), "main", null, repo.head(), "x.py", "", null));

        assertThat(Path.of(code.repositoryRoot(), "third_party/inner/lib.py")).hasContent("VALUE = 42");
    }

    @Test
    void appliesChangesInsideASubmodule() throws Exception {
        TestRepository inner = TestRepository.create(tmp.resolve("remote"), "inner");
        inner.write("lib.py", "VALUE = 1\n").commit("lib");
        inner.push();
        repo.addSubmodule(inner.fileUrl(), "lib");
        Files.writeString(repo.work().resolve("lib/lib.py"), "VALUE = 2\n");
        String diff = repo.diff("--submodule=diff");
        assertThat(diff).startsWith("Submodule lib contains modified content");

        PreparedCode code = prepare(script(repo.fileUrl(), "main", null, repo.head(), "x.py", "", diff));

        assertThat(Path.of(code.repositoryRoot(), "lib/lib.py")).hasContent("VALUE = 2");
    }

    @Test
    void aSubmoduleThatCannotBeClonedIsNamed() throws Exception {
        TestRepository inner = TestRepository.create(tmp.resolve("remote"), "gone");
        repo.addSubmodule(inner.fileUrl(), "libs/gone");
        io.jenkins.plugins.clearml.node.LocalNode.get().deleteRecursively(inner.bare().toString());

        assertThatThrownBy(() -> prepare(script(repo.fileUrl(), "main", null, repo.head(), "x.py", "", null)))
                .isInstanceOfSatisfying(VcsException.class, e -> {
                    assertThat(e.statusReason()).isEqualTo("failed cloning repository");
                    assertThat(e.getMessage()).contains("submodule libs/gone").contains(inner.fileUrl())
                            .contains("was not found");
                });
    }

    @Test
    void worksWithoutTheCache() throws Exception {
        String head = repo.write("f.txt", "1\n").commit("one");
        repo.push();

        PreparedCode code = preparer(null).prepare(script(repo.fileUrl(), "main", null, null, "f.txt", "", null),
                workspace.toString());

        assertThat(code.headCommit()).isEqualTo(head);
        assertThat(tmp.resolve("cache")).doesNotExist();
    }

    @Test
    void missingGitIsReportedAsSuch() throws Exception {
        RecordingNode noGit = RecordingNode.without(tmp.resolve("node-tmp"), "git");
        RepositoryPreparer preparer = new RepositoryPreparer(noGit.access(),
                new GitSettings(null, null, null, null, true, false), console::add);

        assertThatThrownBy(() -> preparer.prepare(script(repo.fileUrl(), "main", null, null, "x.py", "", null),
                workspace.toString()))
                .isInstanceOfSatisfying(VcsException.class, e -> {
                    assertThat(e.statusReason()).isEqualTo("git not found");
                    assertThat(e.getMessage()).contains("test-node").contains("Install git");
                });
    }
}
