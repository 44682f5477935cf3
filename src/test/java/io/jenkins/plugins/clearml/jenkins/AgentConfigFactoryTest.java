package io.jenkins.plugins.clearml.jenkins;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.clearml.client.Credentials;
import io.jenkins.plugins.clearml.config.AgentConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

class AgentConfigFactoryTest {

    private static final ServerSettings PROD = new ServerSettings("prod", "https://api.prod.example", "", "", "keys");
    private static final NodeFacts NODE = new NodeFacts("/home/jenkins", "/tmp", "gpu-7");

    @Test
    void theNodesCachesAndTheServerComeFromJenkins() {
        AgentConfig config = AgentConfigFactory.create(PROD, new Credentials("A", "S"), "bot", "token",
                new PluginSettings(List.of(PROD), "", "python:3.11", List.of("--ipc=host")), NODE);
        assertThat(config.endpoint().apiUrl()).isEqualTo("https://api.prod.example");
        assertThat(config.endpoint().webUrl()).isEqualTo("https://app.prod.example");
        assertThat(config.credentials().secretKey()).isEqualTo("S");
        assertThat(config.workerName()).isEqualTo("gpu-7");
        assertThat(config.git().gitUser()).isEqualTo("bot");
        assertThat(config.git().gitPass()).isEqualTo("token");
        assertThat(config.git().vcsCacheDir()).isEqualTo("/home/jenkins/.clearml/vcs-cache");
        assertThat(config.python().venvsDir()).isEqualTo("/home/jenkins/.clearml/venvs-builds");
        assertThat(config.python().venvsCacheDir()).isEqualTo("/home/jenkins/.clearml/venvs-cache");
        assertThat(config.docker().defaultImage()).isEqualTo("python:3.11");
        assertThat(config.docker().allowedTaskArguments()).containsExactly("--ipc=host");
        assertThat(config.pingInterval()).hasSeconds(60);
        assertThat(config.git().toString()).doesNotContain("token");
    }

    @Test
    void withoutADefaultImageTheAgentsDefaultIsUsedAndNoGitCredentialsAreSet() {
        AgentConfig config = AgentConfigFactory.create(PROD, new Credentials("A", "S"), null, null,
                new PluginSettings(List.of(PROD), "", "", List.of()), new NodeFacts("/root/", "/tmp", "h"));
        assertThat(config.docker().defaultImage()).isEqualTo(AgentConfigFactory.AGENT_DEFAULT_IMAGE);
        assertThat(config.git().hasCredentials()).isFalse();
        assertThat(config.python().venvsDir()).isEqualTo("/root/.clearml/venvs-builds");
    }
}
