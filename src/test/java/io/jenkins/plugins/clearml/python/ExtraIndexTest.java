package io.jenkins.plugins.clearml.python;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.clearml.client.TaskScript;
import io.jenkins.plugins.clearml.node.LocalNode;
import io.jenkins.plugins.clearml.testsupport.python.NodeWithEnvironment;
import io.jenkins.plugins.clearml.testsupport.python.TinyWheels;
import io.jenkins.plugins.clearml.vcs.PreparedCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code agent.package_manager.extra_index_url} and {@code extra_pip_install_flags} on top of the node's own index
 * ({@code PIP_INDEX_URL}): two PEP 503 "simple" indexes served from folders.
 */
class ExtraIndexTest {

    @TempDir
    Path work;

    /** A simple index at {@code root} holding the given wheel. */
    private static String simpleIndex(Path root, Path wheel, String project) throws Exception {
        Path page = Files.createDirectories(root.resolve(project));
        Files.copy(wheel, page.resolve(wheel.getFileName()));
        Files.writeString(page.resolve("index.html"), "<html><body><a href=\"" + wheel.getFileName() + "\">"
                + wheel.getFileName() + "</a></body></html>\n");
        Files.writeString(root.resolve("index.html"), "<html><body><a href=\"" + project + "/\">" + project
                + "</a></body></html>\n");
        return root.toUri().toString();
    }

    @Test
    void installsFromTheNodesIndexAndTheConfiguredExtraIndexWithTheExtraFlags() throws Exception {
        Path wheels = work.resolve("wheels");
        String nodeIndex = simpleIndex(work.resolve("mirror"), TinyWheels.write(wheels, "tinypkg", "1.0"), "tinypkg");
        String extraIndex = simpleIndex(work.resolve("extra"), TinyWheels.write(wheels, "tinyextra", "3.0"),
                "tinyextra");
        NodeWithEnvironment node = NodeWithEnvironment.of(Map.of("PIP_CONFIG_FILE", "/dev/null",
                "PIP_INDEX_URL", nodeIndex, "PIP_FIND_LINKS", ""));
        PythonSettings settings = new PythonSettings("", work.resolve("venvs").toString(), null, 10,
                List.of(extraIndex), List.of("--progress-bar off"), false);
        List<String> console = new CopyOnWriteArrayList<>();
        Path repo = Files.createDirectories(work.resolve("repo"));

        PythonEnvironment env = new PythonEnvironmentBuilder(node, LocalNode.get(), settings, console::add).build(
                new TaskScript("python3", "", "", "", "", "main.py", ".", "", Map.of("pip", "tinypkg\ntinyextra\n")),
                new PreparedCode(repo.toString(), repo.toString(), "main.py", "", true), "");

        assertThat(env.frozen().lines()).containsExactly("tinyextra==3.0", "tinypkg==1.0");
        assertThat(console).anyMatch(l -> l.startsWith("$ ") && l.contains(" --extra-index-url " + extraIndex)
                && l.endsWith(" --progress-bar off"));
    }

    @Test
    void aPasswordInAnExtraIndexUrlIsMasked() {
        assertThat(VenvMaker.passwordOf("https://bot:s3cr%40t@pypi.example.com/simple")).containsExactly("s3cr%40t");
        assertThat(VenvMaker.passwordOf("https://pypi.example.com/simple")).isEmpty();
        assertThat(VenvMaker.passwordOf("not a url")).isEmpty();
    }
}
