package io.jenkins.plugins.clearml.jenkins;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.clearml.client.ClearMLClient;
import io.jenkins.plugins.clearml.client.ClearMLException;
import io.jenkins.plugins.clearml.client.ClientSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** "Test connection" decisions; the login itself is the api helper's client, stood in for by a subclass here. */
class ConnectionCheckTest {

    private final List<ClientSettings> logins = new ArrayList<>();
    private final Map<String, CredentialLookup.Result> credentials = Map.of(
            "keys", new CredentialLookup.Found("ACCESS", "SECRET"),
            "bad", new CredentialLookup.Found("WRONG", "SECRET"),
            "text", new CredentialLookup.WrongKind("Secret text"));

    private ConnectionCheck check(ClearMLException failure) {
        return new ConnectionCheck(id -> credentials.getOrDefault(id, new CredentialLookup.Missing()),
                settings -> new ClearMLClient(settings) {
                    @Override
                    public void login() throws ClearMLException {
                        logins.add(settings);
                        if (failure != null) {
                            throw failure;
                        }
                    }
                });
    }

    private static ServerSettings server(String api, String credentialsId) {
        return new ServerSettings("prod", api, "", "", credentialsId);
    }

    @Test
    void aSuccessfulLoginNamesTheServerAndKeyButNeverTheSecret() {
        Verdict v = check(null).test(server("http://clearml:8008", "keys"));
        assertThat(v.isError()).isFalse();
        assertThat(v.message()).isEqualTo("Connected to http://clearml:8008 with access key ACCESS.").doesNotContain("SECRET");
        assertThat(logins).singleElement().satisfies(s -> {
            assertThat(s.retryWindow()).isEqualTo(Duration.ZERO);
            assertThat(s.credentials().secretKey()).isEqualTo("SECRET");
        });
    }

    @Test
    void aRefusedKeyPointsAtTheCredential() {
        Verdict v = check(new ClearMLException("auth.login", 401, 20, "Unauthorized")).test(server("https://api.x", "bad"));
        assertThat(v.isError()).isTrue();
        assertThat(v.message()).contains("refused access key WRONG", "API credentials");
    }

    @Test
    void anUnreachableServerSaysSo() {
        Verdict v = check(new ClearMLException("auth.login", 0, 0, "Connection refused")).test(server("https://api.x", "keys"));
        assertThat(v.message()).isEqualTo("Could not log in to https://api.x: Connection refused");
    }

    @Test
    void badFormValuesAreReportedWithoutCallingTheServer() {
        assertThat(check(null).test(server("api.x", "keys")).message()).contains("http:// or https://");
        assertThat(check(null).test(server("https://api.x", "")).message()).contains("username-with-password");
        assertThat(check(null).test(server("https://api.x", "gone")).message()).contains("No credential 'gone'");
        assertThat(check(null).test(server("https://api.x", "text")).message()).contains("is a Secret text");
        assertThat(logins).isEmpty();
    }

    @Test
    void aRealLoginToTheInProcessServerSucceedsWithTheRightKeysOnly() throws Exception {
        try (io.jenkins.plugins.clearml.localserver.LocalClearMLServer server =
                new io.jenkins.plugins.clearml.localserver.LocalClearMLServer().start()) {
            io.jenkins.plugins.clearml.client.Credentials keys = server.credentials();
            ConnectionCheck real = new ConnectionCheck(id -> switch (id) {
                case "good" -> new CredentialLookup.Found(keys.accessKey(), keys.secretKey());
                case "bad" -> new CredentialLookup.Found(keys.accessKey(), "not-the-secret");
                default -> new CredentialLookup.Missing();
            }, ClearMLClient::new);
            assertThat(real.test(server(server.apiUrl(), "good")).message()).startsWith("Connected to " + server.apiUrl());
            Verdict refused = real.test(server(server.apiUrl(), "bad"));
            assertThat(refused.isError()).isTrue();
            assertThat(refused.message()).contains("refused access key " + keys.accessKey());
        }
    }
}
