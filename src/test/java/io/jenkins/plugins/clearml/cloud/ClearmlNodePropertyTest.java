package io.jenkins.plugins.clearml.cloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hudson.Extension;
import java.util.List;
import org.jenkinsci.Symbol;
import org.junit.jupiter.api.Test;

/** The node property's value becomes the node's GPUs as its help says; CasC knows it as {@code clearml}. */
class ClearmlNodePropertyTest {

    @Test
    void theSettingGivesTheNodesGpus() {
        assertThat(new ClearmlNodeProperty(" 0-1 ").configuredGpus()).contains(List.of("0", "1"));
        assertThat(new ClearmlNodeProperty("none").configuredGpus()).contains(List.of());
        assertThat(new ClearmlNodeProperty(null).configuredGpus()).isEmpty();
        assertThat(new ClearmlNodeProperty(null).getGpus()).isEmpty();
        assertThatThrownBy(() -> new ClearmlNodeProperty("all").configuredGpus())
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("'all' is not a GPU index");
    }

    @Test
    void itIsAnExtensionNamedClearml() {
        assertThat(ClearmlNodeProperty.DescriptorImpl.class.isAnnotationPresent(Extension.class)).isTrue();
        assertThat(ClearmlNodeProperty.DescriptorImpl.class.getAnnotation(Symbol.class).value())
                .containsExactly("clearml");
        assertThat(new ClearmlNodeProperty.DescriptorImpl().getDisplayName()).isEqualTo("ClearML GPUs");
    }
}
