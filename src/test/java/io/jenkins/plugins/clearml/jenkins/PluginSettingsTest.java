package io.jenkins.plugins.clearml.jenkins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class PluginSettingsTest {

    private static final ServerSettings PROD = new ServerSettings("prod", "https://api.prod", "", "", "prod-keys");
    private static final ServerSettings DEV = new ServerSettings("dev", "http://dev:8008", "", "", "dev-keys");

    private static PluginSettings settings(String defaultServer, ServerSettings... servers) {
        return new PluginSettings(List.of(servers), defaultServer, "", List.of());
    }

    @Test
    void aNamedServerIsFoundIgnoringCase() throws Exception {
        assertThat(settings("", PROD, DEV).resolveServer("DEV")).isEqualTo(DEV);
    }

    @Test
    void noNameTakesTheDefaultServer() throws Exception {
        assertThat(settings("dev", PROD, DEV).resolveServer("")).isEqualTo(DEV);
        assertThat(settings("dev", PROD, DEV).resolveServer(null)).isEqualTo(DEV);
    }

    @Test
    void noNameAndNoDefaultTakesTheOnlyServer() throws Exception {
        assertThat(settings("", PROD).resolveServer(" ")).isEqualTo(PROD);
    }

    @Test
    void noNameWithSeveralServersAndNoDefaultNamesBothFixes() {
        assertThatThrownBy(() -> settings("", PROD, DEV).resolveServer(""))
                .isInstanceOf(UserInputException.class)
                .hasMessageContaining("'prod', 'dev'")
                .hasMessageContaining("server: '<name>'")
                .hasMessageContaining("Manage Jenkins \u00bb System \u00bb ClearML");
    }

    @Test
    void anUnknownServerListsTheConfiguredOnes() {
        assertThatThrownBy(() -> settings("prod", PROD, DEV).resolveServer("staging"))
                .isInstanceOf(UserInputException.class)
                .hasMessage("No ClearML server named 'staging': use one of 'prod', 'dev', or add it in "
                        + "Manage Jenkins \u00bb System \u00bb ClearML.");
    }

    @Test
    void noServersAtAllSaysWhereToAddOne() {
        assertThatThrownBy(() -> settings("", new ServerSettings[0]).resolveServer("prod"))
                .hasMessage("No ClearML server is configured: add one in Manage Jenkins \u00bb System \u00bb ClearML.");
    }

    @Test
    void aDefaultThatNoLongerExistsIsReported() {
        assertThatThrownBy(() -> settings("gone", PROD).resolveServer(""))
                .hasMessageContaining("default ClearML server 'gone' is not configured");
    }

    @Test
    void serverFieldsAreTrimmedAndEndpointsDerivedAsTheAgentDoes() {
        ServerSettings s = new ServerSettings(" prod ", " http://clearml:8008/ ", null, " ", null);
        assertThat(s.name()).isEqualTo("prod");
        assertThat(s.credentialsId()).isEmpty();
        assertThat(s.endpoint().webUrl()).isEqualTo("http://clearml:8080");
        assertThat(s.endpoint().filesUrl()).isEqualTo("http://clearml:8081");
    }
}
