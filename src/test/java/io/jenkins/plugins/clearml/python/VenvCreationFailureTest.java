package io.jenkins.plugins.clearml.python;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.clearml.client.TaskScript;
import io.jenkins.plugins.clearml.node.LocalNode;
import io.jenkins.plugins.clearml.testsupport.python.NodeWithEnvironment;
import io.jenkins.plugins.clearml.vcs.PreparedCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node whose Python cannot make venvs, as Debian's {@code python3} without {@code python3-venv}: its
 * {@code venv} module refuses with Debian's message. The node's {@code PYTHONPATH} puts that module first.
 */
class VenvCreationFailureTest {

    private static final String DEBIAN_MESSAGE = "The virtual environment was not created successfully because "
            + "ensurepip is not available.  On Debian/Ubuntu systems, you need to install the python3-venv package";

    @Test
    void namesTheDebianPackageAndQuotesTheInterpreter(@TempDir Path work) throws Exception {
        Path shadow = Files.createDirectories(work.resolve("debian-without-venv/venv"));
        Files.writeString(shadow.resolve("__init__.py"), "");
        Files.writeString(shadow.resolve("__main__.py"), "import sys\nprint('" + DEBIAN_MESSAGE + "')\nsys.exit(1)\n");
        NodeWithEnvironment node = NodeWithEnvironment.of(Map.of("PYTHONPATH", shadow.getParent().toString()));
        Path repo = Files.createDirectories(work.resolve("repo"));
        PythonSettings settings = new PythonSettings("", work.resolve("venvs").toString(),
                work.resolve("cache").toString(), 10, List.of(), List.of(), false);

        PythonEnvironmentBuilder builder = new PythonEnvironmentBuilder(node, LocalNode.get(), settings, l -> { });
        assertThatThrownBy(() -> builder.build(
                new TaskScript("python3", "", "", "", "", "main.py", ".", "", Map.of()),
                new PreparedCode(repo.toString(), repo.toString(), "main.py", "", true), ""))
                .isInstanceOfSatisfying(EnvironmentException.class, e -> {
                    assertThat(e.statusReason()).isEqualTo("failed creating virtual environment");
                    assertThat(e.getMessage()).containsPattern("install the package python3\\.\\d+-venv")
                            .contains("| " + DEBIAN_MESSAGE);
                });
        assertThat(Files.list(work.resolve("cache")).map(p -> p.getFileName().toString()))
                .noneMatch(n -> n.startsWith("venv-"));
    }
}
