package io.jenkins.plugins.clearml.python;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.clearml.node.LocalNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class VenvMakerTest {

    private static VenvMaker maker(boolean systemSitePackages) {
        return new VenvMaker(LocalNode.get(), LocalNode.get(),
                new PythonSettings("", "/v", null, 10, List.of(), List.of(), systemSitePackages), l -> { });
    }

    @Test
    void createsTheVenvWithTheProbedExecutableAndSystemSitePackagesWhenConfigured() {
        Interpreter python = new Interpreter("python3", "/usr/bin/python3.11", "3.11.2");

        assertThat(maker(true).venvCommand(python, "venv", "/v/x"))
                .containsExactly("/usr/bin/python3.11", "-m", "venv", "--system-site-packages", "/v/x");
        assertThat(maker(false).venvCommand(python, "venv", "/v/x"))
                .containsExactly("/usr/bin/python3.11", "-m", "venv", "/v/x");
    }
}
