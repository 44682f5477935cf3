package io.jenkins.plugins.clearml.jenkins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hudson.model.Descriptor;
import java.util.List;
import java.util.function.Consumer;
import net.sf.json.JSONObject;
import org.junit.jupiter.api.Test;
import org.kohsuke.stapler.StaplerRequest2;

/**
 * Saving the configuration page. Stapler's binding is stood in for by a request that calls the setters the form
 * would reach; what is tested is this class's own part: reset, check, keep or roll back.
 */
class ClearmlGlobalConfigurationTest {

    private static StaplerRequest2 form(Consumer<ClearmlGlobalConfiguration> binding) {
        return (bean, json) -> binding.accept((ClearmlGlobalConfiguration) bean);
    }

    private static ClearmlServer server(String name, String api, String credentialsId) {
        return new ClearmlServer(name, api, credentialsId);
    }

    @Test
    void aValidFormIsKeptAndReadAsPlainSettings() throws Exception {
        ClearmlGlobalConfiguration config = new ClearmlGlobalConfiguration();
        ClearmlServer dev = server("dev", "http://dev:8008", "dev-keys");
        dev.setWebUrl(" http://dev-ui:8080/ ");
        assertThat(config.configure(form(c -> {
            c.setServers(List.of(server("prod", "https://api.prod", "prod-keys"), dev));
            c.setDefaultServer(" prod ");
            c.setDefaultDockerImage("python:3.11");
            c.setAllowedDockerArguments("--ipc=host\n\n--shm-size=\\d+g\n");
        }), new JSONObject())).isTrue();

        PluginSettings settings = config.toSettings();
        assertThat(settings.servers()).extracting(ServerSettings::name).containsExactly("prod", "dev");
        assertThat(settings.defaultServer()).isEqualTo("prod");
        assertThat(settings.defaultDockerImage()).isEqualTo("python:3.11");
        assertThat(settings.allowedDockerArguments()).containsExactly("--ipc=host", "--shm-size=\\d+g");
        assertThat(settings.resolveServer("dev").endpoint().webUrl()).isEqualTo("http://dev-ui:8080");
    }

    @Test
    void anInvalidFormIsRefusedAndThePreviousConfigurationKept() throws Exception {
        ClearmlGlobalConfiguration config = new ClearmlGlobalConfiguration();
        config.configure(form(c -> c.setServers(List.of(server("prod", "https://api.prod", "keys")))), new JSONObject());

        assertThatThrownBy(() -> config.configure(form(c -> {
            c.setServers(List.of(server("a", "https://a", "k"), server("A", "https://b", "k")));
            c.setDefaultDockerImage("changed");
        }), new JSONObject()))
                .isInstanceOf(Descriptor.FormException.class)
                .hasMessageContaining("Two ClearML servers are named 'A'");
        assertThat(config.toSettings().servers()).extracting(ServerSettings::name).containsExactly("prod");
        assertThat(config.getDefaultDockerImage()).isEmpty();
    }

    @Test
    void deletingTheLastServerLeavesNone() throws Exception {
        ClearmlGlobalConfiguration config = new ClearmlGlobalConfiguration();
        config.configure(form(c -> c.setServers(List.of(server("prod", "https://api.prod", "keys")))), new JSONObject());
        // A repeatable list with no entries is absent from the submitted form: nothing is bound.
        config.configure(form(c -> { }), new JSONObject());
        assertThat(config.getServers()).isEmpty();
    }

    @Test
    void configurationAsCodeSetsTheSameProperties() {
        ClearmlGlobalConfiguration config = new ClearmlGlobalConfiguration();
        config.setServers(List.of(server("prod", "https://api.prod", "keys")));
        config.setDefaultServer("prod");
        config.setAllowedDockerArguments(null);
        assertThat(config.getServers()).singleElement().extracting(ClearmlServer::getCredentialsId).isEqualTo("keys");
        assertThat(config.getAllowedDockerArguments()).isEmpty();
        assertThat(config.getDisplayName()).isEqualTo("ClearML");
    }
}
