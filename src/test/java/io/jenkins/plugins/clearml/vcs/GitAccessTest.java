package io.jenkins.plugins.clearml.vcs;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Address parsing and the agent's SSH/HTTPS rewrites, with the credential decisions that go with them. */
class GitAccessTest {

    private static GitSettings creds(String host, boolean translate, boolean forceSsh) {
        return new GitSettings("bob", "tok", host, null, translate, forceSsh);
    }

    private static final GitSettings NONE = new GitSettings(null, null, null, null, true, false);

    @Test
    void parsesTheAddressFormsGitAccepts() {
        GitUrl https = GitUrl.parse("https://github.com/org/repo.git");
        assertThat(https.scheme()).isEqualTo("https");
        assertThat(https.host()).isEqualTo("github.com");
        assertThat(https.path()).isEqualTo("org/repo.git");
        assertThat(https.folderName()).isEqualTo("repo");

        GitUrl scp = GitUrl.parse("git@gitlab.example.com:group/sub/proj.git");
        assertThat(scp.isSsh()).isTrue();
        assertThat(scp.host()).isEqualTo("gitlab.example.com");
        assertThat(scp.path()).isEqualTo("group/sub/proj.git");

        GitUrl sshPort = GitUrl.parse("ssh://git@host.example:2222/team/proj.git");
        assertThat(sshPort.isSsh()).isTrue();
        assertThat(sshPort.host()).isEqualTo("host.example");
        assertThat(sshPort.url()).isEqualTo("ssh://git@host.example:2222/team/proj.git");

        GitUrl local = GitUrl.parse("/srv/git/proj.git");
        assertThat(local.isLocal()).isTrue();
        assertThat(local.folderName()).isEqualTo("proj");
        assertThat(GitUrl.parse("file:///srv/git/proj").isLocal()).isTrue();
    }

    @Test
    void aPasswordInTheAddressIsTakenOutAndNeverPrinted() {
        GitUrl url = GitUrl.parse("https://bob:p%40ss@git.example.com/a/b.git");
        assertThat(url.url()).isEqualTo("https://git.example.com/a/b.git");
        assertThat(url.embeddedUser()).isEqualTo("bob");
        assertThat(url.embeddedPassword()).isEqualTo("p@ss");
        assertThat(url.toString()).doesNotContain("p@ss").doesNotContain("p%40ss");
    }

    @Test
    void theCacheKeyIsFolderDotMd5OfTheAddress() {
        GitUrl url = GitUrl.parse("https://github.com/org/repo.git");
        // md5("https://github.com/org/repo.git"), as Python's hashlib computes it for the agent's cache.
        assertThat(url.cacheKey()).isEqualTo("repo." + GitUrl.md5("https://github.com/org/repo.git"));
        assertThat(GitUrl.md5("abc")).isEqualTo("900150983cd24fb0d6963f7d28e17f72");
    }

    @Test
    void sshIsTranslatedToHttpsWhenCredentialsAreGiven() {
        GitAccess access = GitAccess.of("git@github.com:org/repo.git", creds(null, true, false));
        assertThat(access.url().url()).isEqualTo("https://github.com/org/repo.git");
        assertThat(access.sendsCredentials()).isTrue();
        assertThat(access.credentialHost()).isEqualTo("github.com");
        assertThat(access.config()).contains("url.https://github.com/.insteadOf=git@github.com:",
                "credential.helper=");

        GitAccess port = GitAccess.of("ssh://git@github.com:22/org/repo.git", creds(null, true, false));
        assertThat(port.url().url()).isEqualTo("https://github.com/org/repo.git");
    }

    @Test
    void sshStaysSshWithoutCredentialsOrWithoutTranslation() {
        GitAccess none = GitAccess.of("git@github.com:org/repo.git", NONE);
        assertThat(none.url().url()).isEqualTo("git@github.com:org/repo.git");
        assertThat(none.sendsCredentials()).isFalse();
        assertThat(none.config()).doesNotContain("credential.helper=");

        GitAccess noTranslate = GitAccess.of("git@github.com:org/repo.git", creds(null, false, false));
        assertThat(noTranslate.url().isSsh()).isTrue();
        assertThat(noTranslate.sendsCredentials()).isFalse();
    }

    @Test
    void forcingSshWinsOverUserAndPassword() {
        GitAccess access = GitAccess.of("https://github.com/org/repo.git", creds(null, true, true));
        assertThat(access.url().url()).isEqualTo("ssh://git@github.com/org/repo.git");
        assertThat(access.sendsCredentials()).isFalse();
        assertThat(access.config()).contains("url.ssh://git@github.com/.insteadOf=https://github.com/");
    }

    @Test
    void credentialsAreLimitedToTheirHost() {
        assertThat(GitAccess.of("https://github.com/org/repo.git", creds("gitlab.com", true, false))
                .sendsCredentials()).isFalse();
        assertThat(GitAccess.of("https://GitHub.com/org/repo.git", creds("github.com", true, false))
                .sendsCredentials()).isTrue();
        assertThat(GitAccess.of("http://10.0.0.5:8080/org/repo.git", creds("10.0.0.5:8080", true, false))
                .sendsCredentials()).isTrue();
    }

    @Test
    void theConfiguredCredentialsWinOverOnesInTheAddress() {
        GitAccess access = GitAccess.of("https://old:leaked@github.com/org/repo.git", creds(null, true, false));
        assertThat(access.user()).isEqualTo("bob");
        assertThat(access.password()).isEqualTo("tok");
        assertThat(access.url().url()).isEqualTo("https://github.com/org/repo.git");
        assertThat(access.toString()).doesNotContain("tok");
    }

    @Test
    void localRepositoriesMayHaveLocalSubmodules() {
        assertThat(GitAccess.of("/srv/git/repo.git", NONE).config()).contains("protocol.file.allow=always");
        assertThat(GitAccess.of("https://github.com/org/repo.git", NONE).config())
                .doesNotContain("protocol.file.allow=always");
    }
}
