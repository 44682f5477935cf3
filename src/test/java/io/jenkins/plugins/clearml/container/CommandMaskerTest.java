package io.jenkins.plugins.clearml.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CommandMaskerTest {

    @Test
    void masksSecretLookingAndHiddenNamesAndUrlPasswords() {
        CommandMasker masker = new CommandMasker(new SecretNames(List.of("MY_HIDDEN")), List.of("literal-secret-v"));
        String shown = masker.display(List.of("docker", "run", "-e", "CLEARML_API_SECRET_KEY=s3cr3t",
                "--env=AWS_SECRET_ACCESS_KEY=aws", "-eGITHUB_TOKEN=tok", "-e", "MY_HIDDEN=plain", "-e", "VISIBLE=ok",
                "-e", "URL=https://bob:pw@git.example.com/r.git", "--label", "x=literal-secret-v", "-e", "A=b c"));
        assertThat(shown).isEqualTo("docker run -e CLEARML_API_SECRET_KEY=******** --env=AWS_SECRET_ACCESS_KEY=******** "
                + "-eGITHUB_TOKEN=******** -e MY_HIDDEN=******** -e VISIBLE=ok "
                + "-e URL=https://bob:********@git.example.com/r.git --label x=******** -e 'A=b c'");
        assertThat(shown).doesNotContain("s3cr3t", "aws", "tok", "plain", ":pw@", "literal-secret-v");
    }

    @Test
    void hideEnvListIsSpaceOrCommaSeparated() {
        assertThat(SecretNames.parseList(" A, B  C ")).containsExactly("A", "B", "C");
        SecretNames names = new SecretNames(SecretNames.parseList("DB_URL"));
        assertThat(names.isSecret("db_url")).isTrue();
        assertThat(names.isSecret("CLEARML_TASK_ID")).isFalse();
        assertThat(names.isSecret("CLEARML_AGENT_GIT_PASS")).isTrue();
    }
}
