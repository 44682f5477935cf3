package io.jenkins.plugins.clearml.vcs;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How one repository is reached: the address git is given (after the SSH/HTTPS rewrites of the agent), whether
 * credentials are sent and to which host, and the git settings that apply the same rewrites to submodules.
 *
 * @param url           the address handed to git, without any secret
 * @param user          the user name for the askpass helper, or {@code null} when no credentials are sent
 * @param password      the password or token, or {@code null}
 * @param credentialHost the only host the askpass helper answers for
 * @param config        {@code key=value} settings passed to every git command with {@code -c}
 */
record GitAccess(GitUrl url, String user, String password, String credentialHost, List<String> config) {

    boolean sendsCredentials() {
        return user != null && password != null;
    }

    /** Decides as the agent does, with its known pitfalls fixed (see docs/git.md). */
    static GitAccess of(String repository, GitSettings settings) {
        GitUrl recorded = GitUrl.parse(repository);
        String host = recorded.host();
        boolean configuredApply = settings.hasCredentials() && hostMatches(settings.gitHost(), recorded);
        String user = null;
        String password = null;
        if (configuredApply) {
            user = settings.gitUser();
            password = settings.gitPass();
        } else if (recorded.embeddedPassword() != null) {
            // The task recorded https://user:token@host/...; the token is moved out of the address.
            user = recorded.embeddedUser() == null || recorded.embeddedUser().isEmpty() ? "git" : recorded.embeddedUser();
            password = recorded.embeddedPassword();
        }
        List<String> config = new ArrayList<>();
        config.add("safe.directory=*");
        config.add("advice.detachedHead=false");
        GitUrl effective = recorded;
        if (settings.forceSshProtocol() && recorded.isHttp()) {
            // force_git_ssh_protocol wins over the user/password translation (clearml#1196): SSH keys are used.
            effective = recorded.toSsh();
            config.add("url.ssh://git@" + host + "/.insteadOf=https://" + host + "/");
            user = null;
            password = null;
        } else if (user != null && recorded.isSsh() && settings.translateSsh()) {
            effective = recorded.toHttps();
            config.add("url.https://" + host + "/.insteadOf=git@" + host + ":");
            config.add("url.https://" + host + "/.insteadOf=ssh://git@" + host + "/");
        }
        if (!effective.isHttp()) {
            user = null;
            password = null;
        }
        if (user != null) {
            // Our secret must not be saved by a credential helper of the node (e.g. "store").
            config.add("credential.helper=");
        }
        if (recorded.isLocal()) {
            // Git refuses file:// submodules by default (CVE-2022-39253); a local superproject is trusted.
            config.add("protocol.file.allow=always");
        }
        String credentialHost = settings.gitHost() != null && !settings.gitHost().isBlank() && configuredApply
                ? settings.gitHost().strip()
                : effective.host();
        return new GitAccess(effective, user, password, credentialHost, List.copyOf(config));
    }

    private static boolean hostMatches(String gitHost, GitUrl url) {
        if (gitHost == null || gitHost.isBlank()) {
            return true;
        }
        String wanted = gitHost.strip().toLowerCase(Locale.ROOT);
        return wanted.equals(url.host()) || url.url().toLowerCase(Locale.ROOT).contains("://" + wanted + "/")
                || url.url().toLowerCase(Locale.ROOT).contains("@" + wanted + "/");
    }

    @Override
    public String toString() {
        return "GitAccess[url=" + url + ", user=" + user + ", password=" + (password == null ? "null" : "****")
                + ", credentialHost=" + credentialHost + "]";
    }
}
