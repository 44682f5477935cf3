package io.jenkins.plugins.clearml.jenkins;

import com.cloudbees.plugins.credentials.CredentialsMatchers;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.common.StandardCredentials;
import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;
import hudson.model.Run;
import hudson.security.ACL;
import hudson.util.Secret;
import java.util.List;
import jenkins.model.Jenkins;

/** {@link CredentialLookup}s backed by the Credentials plugin. */
public final class JenkinsCredentials {

    private JenkinsCredentials() {
    }

    /**
     * Credentials of the Jenkins instance itself, as the system sees them: the ClearML servers' keys, which the
     * administrator configured globally and which no job needs permission to read.
     */
    public static CredentialLookup system() {
        return id -> classify(CredentialsMatchers.firstOrNull(
                CredentialsProvider.lookupCredentialsInItemGroup(StandardCredentials.class, Jenkins.get(), ACL.SYSTEM2,
                        List.of()),
                CredentialsMatchers.withId(id)));
    }

    /**
     * Credentials a build may use (its folder's and the global ones, as the build's authentication sees them),
     * recorded as used by the build, as the Credentials plugin expects of steps.
     */
    public static CredentialLookup forRun(Run<?, ?> run) {
        return id -> {
            StandardCredentials found = CredentialsProvider.findCredentialById(id, StandardCredentials.class, run);
            if (found != null) {
                CredentialsProvider.track(run, found);
            }
            return classify(found);
        };
    }

    static CredentialLookup.Result classify(StandardCredentials credentials) {
        if (credentials == null) {
            return new CredentialLookup.Missing();
        }
        if (credentials instanceof StandardUsernamePasswordCredentials userPass) {
            return new CredentialLookup.Found(userPass.getUsername(), Secret.toString(userPass.getPassword()));
        }
        return new CredentialLookup.WrongKind(kindOf(credentials));
    }

    /** The kind's display name ("Secret text", "SSH Username with private key"), as the credentials pages show it. */
    private static String kindOf(StandardCredentials credentials) {
        try {
            return credentials.getDescriptor().getDisplayName();
        } catch (RuntimeException e) {
            return credentials.getClass().getSimpleName();
        }
    }
}
