package io.jenkins.plugins.clearml.vcs;

import java.util.List;
import java.util.Locale;

/** Why git could not talk to a remote, read from git's own messages (run with {@code LC_ALL=C}). */
enum RemoteFailure {

    AUTHENTICATION(List.of("authentication failed", "could not read username", "could not read password",
            "terminal prompts disabled", "permission denied (publickey", "host key verification failed",
            "http basic: access denied", "invalid username or password", "the requested url returned error: 401",
            "the requested url returned error: 403", "no such device or address")),
    NOT_FOUND(List.of("repository not found", "not found", "does not appear to be a git repository",
            "access denied or repository not exported", "no such repository", "the requested url returned error: 404",
            "does not exist", "not a git repository")),
    UNREACHABLE(List.of("could not resolve host", "could not resolve hostname", "failed to connect",
            "connection refused", "connection timed out", "network is unreachable", "unable to connect",
            "unable to look up", "no route to host", "operation timed out", "name or service not known",
            "operation too slow", "connection reset")),
    TLS(List.of("ssl certificate problem", "server certificate verification failed", "gnutls", "ssl_connect",
            "unable to get local issuer certificate")),
    OTHER(List.of());

    private final List<String> markers;

    RemoteFailure(List<String> markers) {
        this.markers = markers;
    }

    static RemoteFailure of(String gitOutput) {
        String text = gitOutput.toLowerCase(Locale.ROOT);
        // Order matters: "could not read Username" also says "not found" in some git versions' wording.
        for (RemoteFailure kind : List.of(AUTHENTICATION, TLS, UNREACHABLE, NOT_FOUND)) {
            for (String marker : kind.markers) {
                if (text.contains(marker)) {
                    return kind;
                }
            }
        }
        return OTHER;
    }

    /** One sentence naming the cause and the fix. */
    String explain(String url, boolean credentialsGiven) {
        return switch (this) {
            case AUTHENTICATION -> credentialsGiven
                    ? "The server rejected the git credentials for " + url + ". Check the git user and password/token"
                            + " in the ClearML agent settings (git user, git password, git host) and that the token may"
                            + " read this repository."
                    : "The server asked for credentials to read " + url + " and none are configured for its host."
                            + " Set the git user and password/token in the ClearML agent settings, or for an SSH address"
                            + " install a key for the node's user (ssh -T to the host must work without a prompt).";
            case NOT_FOUND -> "The repository " + url + " was not found. Check the address recorded in the task"
                    + (credentialsGiven ? "." : "; a private repository also reads as not found when no credentials"
                            + " are sent, so set the git user and password/token in the ClearML agent settings.");
            case UNREACHABLE -> "The git server of " + url + " cannot be reached from this node. Check the host"
                    + " name, the node's network, proxy and firewall settings.";
            case TLS -> "The TLS certificate of the git server of " + url + " is not trusted on this node. Install"
                    + " the server's CA certificate on the node (or configure git's http.sslCAInfo).";
            case OTHER -> "Git could not read " + url + ".";
        };
    }
}
