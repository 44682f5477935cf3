package io.jenkins.plugins.clearml.jenkins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class SettingsValidationTest {

    @Test
    void serverNames() {
        assertThat(SettingsValidation.serverName("prod-1.eu_west").isError()).isFalse();
        assertThat(SettingsValidation.serverName("").message()).contains("required");
        assertThat(SettingsValidation.serverName("has space").isError()).isTrue();
        assertThat(SettingsValidation.serverName("-dash").isError()).isTrue();
    }

    @Test
    void apiUrlMustBeHttpWithAHostAndNoCredentials() {
        assertThat(SettingsValidation.apiUrl("https://api.clear.ml").isError()).isFalse();
        assertThat(SettingsValidation.apiUrl("http://10.0.0.5:8008").isError()).isFalse();
        assertThat(SettingsValidation.apiUrl("").message()).contains("required");
        assertThat(SettingsValidation.apiUrl("ftp://x").message()).contains("http:// or https://");
        assertThat(SettingsValidation.apiUrl("api.clear.ml").message()).contains("http:// or https://");
        assertThat(SettingsValidation.apiUrl("http:///path").message()).contains("no host");
        assertThat(SettingsValidation.apiUrl("https://key:secret@api.clear.ml").message()).contains("credential");
        assertThat(SettingsValidation.apiUrl("http://bad host").message()).startsWith("Not a valid");
    }

    @Test
    void webAndFilesUrlsMayBeEmpty() {
        assertThat(SettingsValidation.optionalUrl("", "web UI").isError()).isFalse();
        assertThat(SettingsValidation.optionalUrl("javascript:alert(1)", "web UI").isError()).isTrue();
    }

    @Test
    void allowListLinesMustBeRegularExpressions() {
        assertThat(SettingsValidation.dockerArgumentAllowList("--ipc=host\n--shm-size=\\d+[gm]\n").isError()).isFalse();
        assertThat(SettingsValidation.dockerArgumentAllowList("--ok\n--cap-add=(SYS").message())
                .startsWith("Not a regular expression: --cap-add=(SYS");
    }

    @Test
    void aWholeConfigurationIsCheckedBeforeItIsSaved() {
        ServerSettings prod = new ServerSettings("prod", "https://api.prod", "", "", "keys");
        assertThatCode(() -> SettingsValidation.validate(
                new PluginSettings(List.of(prod), "prod", "", List.of("--ipc=host")))).doesNotThrowAnyException();
        assertThatThrownBy(() -> SettingsValidation.validate(new PluginSettings(
                List.of(prod, new ServerSettings("PROD", "https://x", "", "", "k")), "", "", List.of())))
                .hasMessageContaining("Two ClearML servers are named 'PROD'");
        assertThatThrownBy(() -> SettingsValidation.validate(new PluginSettings(List.of(prod), "dev", "", List.of())))
                .hasMessageContaining("default ClearML server 'dev'");
        assertThatThrownBy(() -> SettingsValidation.validate(new PluginSettings(
                List.of(new ServerSettings("prod", "https://api.prod", "", "", "")), "", "", List.of())))
                .hasMessageStartingWith("ClearML server 'prod', credentials:");
        assertThatThrownBy(() -> SettingsValidation.validate(new PluginSettings(List.of(prod), "", "", List.of("(("))))
                .hasMessageStartingWith("Allowed docker arguments: Not a regular expression");
    }

    @Test
    void textAreaLinesAreTrimmedAndBlankLinesDropped() {
        assertThat(Strings.lines(" --ipc=host \r\n\n  --shm-size=1g\n")).containsExactly("--ipc=host", "--shm-size=1g");
        assertThat(Strings.lines(null)).isEmpty();
    }
}
