package io.jenkins.plugins.clearml.vcs;

/**
 * Git settings as the real agent reads them ({@code agent.git_user}, {@code agent.git_pass}, {@code agent.git_host},
 * {@code agent.vcs_cache.*}, {@code agent.translate_ssh}, {@code agent.force_git_ssh_protocol}).
 *
 * @param gitHost       when set, the credentials are given only to this host
 * @param vcsCacheDir   the local cache of repositories; {@code null} disables it
 */
public record GitSettings(
        String gitUser,
        String gitPass,
        String gitHost,
        String vcsCacheDir,
        boolean translateSsh,
        boolean forceSshProtocol) {

    public boolean hasCredentials() {
        return gitUser != null && !gitUser.isBlank() && gitPass != null && !gitPass.isEmpty();
    }

    @Override
    public String toString() {
        return "GitSettings[gitUser=" + gitUser + ", gitPass=" + (gitPass == null ? "null" : "****") + ", gitHost="
                + gitHost + ", vcsCacheDir=" + vcsCacheDir + ", translateSsh=" + translateSsh + ", forceSshProtocol="
                + forceSshProtocol + "]";
    }
}
