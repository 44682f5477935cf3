package io.jenkins.plugins.clearml.vcs;

import io.jenkins.plugins.clearml.node.NodeFiles;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;

/**
 * A {@code GIT_ASKPASS} helper on the node: a 0700 script in a private temporary folder that answers git's
 * "Username for ..." prompt with the user and any other prompt with the password, read from 0600 files next to
 * it. The secret is therefore never in an address, a command line, an environment variable or a config file.
 * When a host is given, the script answers only prompts for that host, so a submodule on another server never
 * receives the credentials. {@link #close()} deletes the folder.
 */
final class AskPass implements AutoCloseable {

    private static final String SCRIPT = """
            #!/bin/sh
            # ClearML for Jenkins: answers git's credential prompts; deleted when the checkout ends.
            dir="${0%/*}"
            if [ -f "$dir/host" ]; then
              q="'"; url="${1#*$q}"; url="${url%$q*}"
              hostport="${url#*://}"; hostport="${hostport#*@}"; hostport="${hostport%%/*}"
              allowed="$(cat "$dir/host")"
              if [ "$hostport" != "$allowed" ] && [ "${hostport%:*}" != "$allowed" ]; then
                exit 1
              fi
            fi
            case "$1" in
              [Uu]sername*) exec cat "$dir/user" ;;
              *) exec cat "$dir/secret" ;;
            esac
            """;

    private final NodeFiles files;
    private final String dir;
    private final String script;

    private AskPass(NodeFiles files, String dir) {
        this.files = files;
        this.dir = dir;
        this.script = files.resolve(dir, "askpass.sh");
    }

    /**
     * Writes the helper. {@code host} limits the answers to one host ({@code null}: any host the credentials were
     * chosen for).
     */
    static AskPass create(NodeFiles files, String user, String secret, String host)
            throws IOException, InterruptedException {
        byte[] random = new byte[8];
        new SecureRandom().nextBytes(random);
        String dir = files.resolve(files.tempDir(), "clearml-git-" + HexFormat.of().formatHex(random));
        AskPass askPass = new AskPass(files, dir);
        try {
            files.createDirectories(dir);
            files.makeOwnerExecutable(dir); // 0700: other users cannot even list the folder
            files.writeString(files.resolve(dir, "user"), user, true);
            files.writeString(files.resolve(dir, "secret"), secret, true);
            if (host != null && !host.isBlank()) {
                files.writeString(files.resolve(dir, "host"), host.strip().toLowerCase(java.util.Locale.ROOT), true);
            }
            files.writeString(askPass.script, SCRIPT, true);
            files.makeOwnerExecutable(askPass.script);
        } catch (IOException | InterruptedException | RuntimeException e) {
            askPass.close();
            throw e;
        }
        return askPass;
    }

    /** The variables that make git use this helper. */
    Map<String, String> environment() {
        return Map.of("GIT_ASKPASS", script);
    }

    String directory() {
        return dir;
    }

    @Override
    public void close() {
        // An aborted build arrives here interrupted; the secret must still be deleted, so clear the flag first.
        boolean interrupted = Thread.interrupted();
        try {
            files.deleteRecursively(dir);
        } catch (IOException e) {
            // Best effort; the files are owner-only and live in the node's temporary folder.
        } catch (InterruptedException e) {
            interrupted = true;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
