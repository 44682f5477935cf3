package io.jenkins.plugins.clearml.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ShellWordsTest {

    @Test
    void splitsLikeAShellWithoutExpanding() {
        assertThat(ShellWords.split("  --shm-size 8g -e 'A=x y' -e \"B=\\\"q\\\" $HOME\" C\\ D `id` $(id) ;rm"))
                .containsExactly("--shm-size", "8g", "-e", "A=x y", "-e", "B=\"q\" $HOME", "C D", "`id`", "$(id)", ";rm");
    }

    @Test
    void emptyAndNull() {
        assertThat(ShellWords.split(null)).isEmpty();
        assertThat(ShellWords.split("   ")).isEmpty();
        assertThat(ShellWords.split("''")).containsExactly("");
    }

    @Test
    void unclosedQuoteIsAnErrorThatDoesNotEchoTheLine() {
        assertThatThrownBy(() -> ShellWords.split("-e SECRET='abc"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unclosed single quote")
                .hasMessageNotContaining("abc");
        assertThatThrownBy(() -> ShellWords.split("-e \"x")).hasMessageContaining("double quote");
    }
}
