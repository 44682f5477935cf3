package io.jenkins.plugins.clearml.vcs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Telling a patch from a literal script, and reading the paths a patch touches. */
class UncommittedChangesTest {

    private static final String PREFIXED = """
            diff --git a/src/a.py b/src/a.py
            index 1111111..2222222 100644
            --- a/src/a.py
            +++ b/src/a.py
            @@ -1 +1 @@
            -x = 1
            +x = 2
            diff --git a/new.py b/new.py
            new file mode 100644
            --- /dev/null
            +++ b/new.py
            @@ -0,0 +1 @@
            +print()
            """;

    @Test
    void patchesAndLiteralScriptsAreToldApart() {
        assertThat(new UncommittedChanges(PREFIXED).isPatch()).isTrue();
        assertThat(new UncommittedChanges("submodule lib 1234..5678:\ndiff --git a/x b/x\n").isPatch()).isTrue();
        assertThat(new UncommittedChanges("--- a.py\n+++ a.py\n@@ -1 +1 @@\n-a\n+b\n").isPatch()).isTrue();
        assertThat(new UncommittedChanges("import os\nprint(os.getcwd())\n").isPatch()).isFalse();
        assertThat(new UncommittedChanges("# diff of two models\nprint(1)\n").isPatch()).isFalse();
        assertThat(new UncommittedChanges("  \n").isEmpty()).isTrue();
    }

    @Test
    void readsThePathsWithGitsPrefixesStripped() {
        UncommittedChanges changes = new UncommittedChanges(PREFIXED);
        assertThat(changes.hasPrefixes()).isTrue();
        assertThat(changes.changes(1)).containsExactly(
                new UncommittedChanges.FileChange("src/a.py", "src/a.py"),
                new UncommittedChanges.FileChange(null, "new.py"));
    }

    @Test
    void recognisesDiffsWithoutPrefixes() {
        String noPrefix = PREFIXED.replace("a/src/a.py", "src/a.py").replace("b/src/a.py", "src/a.py")
                .replace("b/new.py", "new.py");
        assertThat(new UncommittedChanges(noPrefix).hasPrefixes()).isFalse();
        assertThat(new UncommittedChanges(noPrefix).changes(0)).contains(
                new UncommittedChanges.FileChange("src/a.py", "src/a.py"));
        // Mnemonic prefixes (diff.mnemonicPrefix) are prefixes too.
        assertThat(new UncommittedChanges(PREFIXED.replace("a/", "c/").replace("b/", "w/")).hasPrefixes()).isTrue();
    }

    @Test
    void unquotesPathsWithSpecialCharacters() {
        String quoted = "diff --git \"a/dir/caf\\303\\251 file.py\" \"b/dir/caf\\303\\251 file.py\"\n"
                + "--- \"a/dir/caf\\303\\251 file.py\"\n+++ \"b/dir/caf\\303\\251 file.py\"\n@@ -1 +1 @@\n-a\n+b\n";
        assertThat(new UncommittedChanges(quoted).changes(1))
                .containsExactly(new UncommittedChanges.FileChange("dir/café file.py", "dir/café file.py"));
    }

    @Test
    void namesTheFilesGitApplyRejected() {
        String output = """
                error: patch failed: train.py:3
                error: train.py: patch does not apply
                error: utils/x.py: No such file or directory
                """;
        assertThat(UncommittedChanges.failingFiles(output)).containsExactly("train.py", "utils/x.py");
    }

    @Test
    void progressRedrawsBecomeOneLineEach() {
        List<String> lines = new ArrayList<>();
        ProgressLines progress = new ProgressLines(lines::add);
        byte[] out = ("Cloning into 'x'...\nReceiving objects:  10% (1/10)\rReceiving objects: 100% (10/10), done.\n"
                + "Resolving deltas: 100% (2/2), done.\r\nlast").getBytes();
        progress.accept(out, out.length);
        progress.finish();
        assertThat(lines).containsExactly("Cloning into 'x'...", "Receiving objects: 100% (10/10), done.",
                "Resolving deltas: 100% (2/2), done.", "last");
    }

    @Test
    void secretsAreMaskedAlsoWhenUrlEncodedOrInAnAddress() {
        SecretMasker masker = new SecretMasker(List.of("p@ss word"));
        assertThat(masker.mask("fatal: p@ss word and p%40ss+word")).isEqualTo("fatal: **** and ****");
        assertThat(masker.mask("fatal: unable to access 'https://u:other@host/x'"))
                .isEqualTo("fatal: unable to access 'https://u:****@host/x'");
    }

    @Test
    void remoteFailuresAreClassifiedFromGitsWords() {
        assertThat(RemoteFailure.of("fatal: Authentication failed for 'https://h/x.git/'"))
                .isEqualTo(RemoteFailure.AUTHENTICATION);
        assertThat(RemoteFailure.of("fatal: could not read Username for 'https://h': terminal prompts disabled"))
                .isEqualTo(RemoteFailure.AUTHENTICATION);
        assertThat(RemoteFailure.of("git@h: Permission denied (publickey).")).isEqualTo(RemoteFailure.AUTHENTICATION);
        assertThat(RemoteFailure.of("remote: Repository not found.\nfatal: repository 'https://h/x/' not found"))
                .isEqualTo(RemoteFailure.NOT_FOUND);
        assertThat(RemoteFailure.of("fatal: unable to access 'https://h/': Could not resolve host: h"))
                .isEqualTo(RemoteFailure.UNREACHABLE);
        assertThat(RemoteFailure.of("SSL certificate problem: self signed certificate"))
                .isEqualTo(RemoteFailure.TLS);
        assertThat(RemoteFailure.of("fatal: the remote end hung up unexpectedly")).isEqualTo(RemoteFailure.OTHER);
    }
}
