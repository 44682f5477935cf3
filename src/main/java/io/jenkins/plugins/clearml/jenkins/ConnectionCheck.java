package io.jenkins.plugins.clearml.jenkins;

import io.jenkins.plugins.clearml.client.ClearMLClient;
import io.jenkins.plugins.clearml.client.ClearMLException;
import io.jenkins.plugins.clearml.client.ClientSettings;
import io.jenkins.plugins.clearml.client.Credentials;
import java.time.Duration;
import java.util.function.Function;

/** "Test connection" on the configuration page: checks the form's values, then logs in ({@code auth.login}). */
public final class ConnectionCheck {

    private final CredentialLookup credentials;
    private final Function<ClientSettings, ClearMLClient> clients;

    public ConnectionCheck(CredentialLookup credentials, Function<ClientSettings, ClearMLClient> clients) {
        this.credentials = credentials;
        this.clients = clients;
    }

    public Verdict test(ServerSettings server) {
        for (Verdict v : new Verdict[] {SettingsValidation.apiUrl(server.apiUrl()),
                SettingsValidation.optionalUrl(server.webUrl(), "web UI"),
                SettingsValidation.optionalUrl(server.filesUrl(), "file server"),
                SettingsValidation.credentialsId(server.credentialsId())}) {
            if (v.isError()) {
                return v;
            }
        }
        CredentialLookup.Result found = credentials.find(server.credentialsId());
        if (found instanceof CredentialLookup.Missing) {
            return Verdict.error("No credential '" + server.credentialsId() + "' exists: add a username-with-password "
                    + "credential (access key, secret key).");
        }
        if (found instanceof CredentialLookup.WrongKind wrong) {
            return Verdict.error("'" + server.credentialsId() + "' is a " + wrong.kind()
                    + ": choose a username-with-password credential (access key as user name, secret key as password).");
        }
        CredentialLookup.Found keys = (CredentialLookup.Found) found;
        Credentials creds = new Credentials(keys.username(), keys.password());
        if (!creds.isComplete()) {
            return Verdict.error("The credential's user name (access key) or password (secret key) is empty.");
        }
        // A form button: answer within seconds rather than retrying for minutes as a running task would.
        ClientSettings settings = ClientSettings.of(server.endpoint(), creds, "jenkins-connection-test")
                .withRetryWindow(Duration.ZERO);
        try (ClearMLClient client = clients.apply(settings)) {
            client.login();
            return Verdict.ok("Connected to " + server.endpoint().apiUrl() + " with access key " + keys.username() + ".");
        } catch (ClearMLException e) {
            if (e.isAuthenticationFailure()) {
                return Verdict.error("The server refused access key " + keys.username()
                        + ": check the credential's access key and secret key (ClearML web UI \u00bb Settings \u00bb "
                        + "Workspace \u00bb API credentials).");
            }
            return Verdict.error("Could not log in to " + server.endpoint().apiUrl() + ": " + e.getMessage());
        } catch (RuntimeException e) {
            return Verdict.error("Could not log in to " + server.endpoint().apiUrl() + ": " + e);
        }
    }
}
