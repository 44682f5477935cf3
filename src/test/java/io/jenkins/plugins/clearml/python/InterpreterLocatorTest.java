package io.jenkins.plugins.clearml.python;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.clearml.node.LocalNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InterpreterLocatorTest {

    final List<String> console = new CopyOnWriteArrayList<>();

    @Test
    void readsTheRequestedVersionFromTheTasksBinary() {
        assertThat(InterpreterLocator.requestedVersion("python3.10")).isEqualTo("3.10");
        assertThat(InterpreterLocator.requestedVersion("/usr/bin/python3.10.4")).isEqualTo("3.10.4");
        assertThat(InterpreterLocator.requestedVersion("python3")).isEqualTo("3");
        assertThat(InterpreterLocator.requestedVersion("python")).isEmpty();
        assertThat(InterpreterLocator.requestedVersion("bash")).isEmpty();
        assertThat(InterpreterLocator.requestedVersion(null)).isEmpty();
    }

    @Test
    void searchesTheAgentsCandidatesInOrder() {
        assertThat(InterpreterLocator.candidates("3.10.4"))
                .containsExactly("python3.10.4", "python3.10", "python3", "python");
        assertThat(InterpreterLocator.candidates("3")).containsExactly("python3", "python");
        assertThat(InterpreterLocator.candidates("")).containsExactly("python3", "python");
    }

    @Test
    void findsTheRequestedVersionWhenItIsInstalled() throws Exception {
        Interpreter python = new InterpreterLocator(LocalNode.get(), console::add).locate("", "python3");
        String minor = python.minorVersion();

        Interpreter exact = new InterpreterLocator(LocalNode.get(), console::add).locate("", "python" + minor);

        assertThat(exact.command()).isEqualTo("python" + minor);
        assertThat(exact.version()).startsWith(minor + ".");
        assertThat(Path.of(exact.executable())).isExecutable();
        assertThat(console).isEmpty();
    }

    @Test
    void anUnavailableRequestedVersionFallsBackToAWorkingPythonWithAWarning() throws Exception {
        Interpreter python = new InterpreterLocator(LocalNode.get(), console::add).locate("", "python3.99");

        assertThat(python.command()).isEqualTo("python3");
        assertThat(python.version()).startsWith("3.");
        assertThat(console).singleElement().satisfies(l -> assertThat(l)
                .startsWith("WARNING: Python 3.99 was requested").contains("tried python3.99, python3, python"));
    }

    @Test
    void aConfiguredInterpreterIsUsedWhateverTheTaskAsks(@TempDir Path dir) throws Exception {
        Interpreter found = new InterpreterLocator(LocalNode.get(), console::add).locate("", "python3");
        Path link = Files.createSymbolicLink(dir.resolve("my-python"), Path.of(found.executable()));

        Interpreter configured = new InterpreterLocator(LocalNode.get(), console::add)
                .locate(link.toString(), "python2.7");

        assertThat(configured.command()).isEqualTo(link.toString());
        assertThat(configured.version()).isEqualTo(found.version());
    }
}
