package io.jenkins.plugins.clearml.python;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.clearml.client.TaskScript;
import io.jenkins.plugins.clearml.node.LocalNode;
import io.jenkins.plugins.clearml.node.ProcessSpec;
import io.jenkins.plugins.clearml.testsupport.python.NodeWithEnvironment;
import io.jenkins.plugins.clearml.testsupport.python.OfflinePip;
import io.jenkins.plugins.clearml.vcs.PreparedCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code CLEARML_AGENT_SKIP_PIP_VENV_INSTALL} and {@code CLEARML_AGENT_SKIP_PYTHON_ENV_INSTALL}, with real
 * interpreters and pip (offline). "The Python in my image" is a venv the test makes, so nothing is installed into
 * the machine's own Python.
 */
class SkipInstallTest {

    @TempDir
    static Path shared;
    static NodeWithEnvironment node;
    static Path imagePython;

    @TempDir
    Path work;
    final List<String> console = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void setUp() throws Exception {
        node = OfflinePip.nodeWithTinyPackages(shared.resolve("wheels"));
        Path venv = shared.resolve("image-python");
        assertThat(node.run(ProcessSpec.of("python3", "-m", "venv", venv.toString())).succeeded()).isTrue();
        imagePython = venv.resolve("bin/python");
    }

    private PythonEnvironmentBuilder builder(SkipInstall skip) {
        PythonSettings settings = new PythonSettings("", work.resolve("venvs").toString(),
                work.resolve("venvs-cache").toString(), 10, List.of(), List.of(), false);
        return new PythonEnvironmentBuilder(node, LocalNode.get(), settings, console::add).withSkipInstall(skip);
    }

    private PreparedCode repo() throws Exception {
        Path repo = Files.createDirectories(work.resolve("repo"));
        return new PreparedCode(repo.toString(), repo.toString(), "main.py", "", true);
    }

    private static TaskScript needingTinypkg() {
        return new TaskScript("python3", "https://example.com/repo.git", "main", "", "", "main.py", ".", "",
                Map.of("pip", "tinypkg==1.0\n"));
    }

    @Test
    void theVariablesAreReadLikeTheAgentReadsThem() {
        assertThat(SkipInstall.of(Map.of())).isEqualTo(SkipInstall.NONE);
        assertThat(SkipInstall.of(Map.of(SkipInstall.SKIP_PIP_VENV, "0", SkipInstall.SKIP_PYTHON_ENV, "false")))
                .isEqualTo(SkipInstall.NONE);
        assertThat(SkipInstall.of(Map.of(SkipInstall.SKIP_PIP_VENV, "1")))
                .isEqualTo(new SkipInstall(true, null, false));
        assertThat(SkipInstall.of(Map.of(SkipInstall.SKIP_PIP_VENV, " /opt/conda/bin/python ")))
                .isEqualTo(new SkipInstall(true, "/opt/conda/bin/python", false));
        assertThat(SkipInstall.of(Map.of(SkipInstall.SKIP_PYTHON_ENV, "1")))
                .isEqualTo(new SkipInstall(true, null, true));
        assertThat(SkipInstall.of(Map.of(SkipInstall.SKIP_PIP_VENV, "/usr/bin/python3", SkipInstall.SKIP_PYTHON_ENV,
                "true"))).isEqualTo(new SkipInstall(true, "/usr/bin/python3", true));
    }

    @Test
    void skipPipVenvInstallsTheRequirementsIntoTheGivenInterpreter() throws Exception {
        PythonEnvironment env = builder(SkipInstall.of(Map.of(SkipInstall.SKIP_PIP_VENV, imagePython.toString())))
                .build(needingTinypkg(), repo(), "");

        assertThat(env.python()).isEqualTo(imagePython.toString());
        assertThat(env.venvDir()).as("no venv").isNull();
        assertThat(node.run(ProcessSpec.of(imagePython.toString(), "-c", "import tinypkg; print(tinypkg.VERSION)"))
                .output()).contains("1.0");
        assertThat(env.frozen()).as("written back: what was installed").contains("tinypkg==1.0");
        assertThat(env.sysPath()).anyMatch(p -> p.startsWith(imagePython.getParent().getParent().toString()));
        assertThat(work.resolve("venvs-cache")).as("the venv cache is not used").doesNotExist();
        assertThat(console).anyMatch(l -> l.contains("CLEARML_AGENT_SKIP_PIP_VENV_INSTALL is set: no virtual "
                + "environment, running " + imagePython));
    }

    @Test
    void skipPythonEnvInstallsNothingAndWritesNothingBack() throws Exception {
        PythonEnvironment env = builder(SkipInstall.of(Map.of(SkipInstall.SKIP_PIP_VENV, imagePython.toString(),
                SkipInstall.SKIP_PYTHON_ENV, "1"))).build(needingTinypkg(), repo(), "");

        assertThat(env.python()).isEqualTo(imagePython.toString());
        assertThat(env.frozen()).as("nothing installed, nothing to write back").isEmpty();
        assertThat(console).noneMatch(l -> l.contains("Installing requirements"))
                .anyMatch(l -> l.contains("Installing nothing"));
        assertThat(work.resolve("venvs")).doesNotExist();
    }

    @Test
    void skipPythonEnvAloneUsesThePythonFoundOnThePath() throws Exception {
        String found = node.run(ProcessSpec.of("python3", "-c", "import sys; print(sys.executable)")).output().strip();

        PythonEnvironment env = builder(SkipInstall.of(Map.of(SkipInstall.SKIP_PYTHON_ENV, "1")))
                .build(needingTinypkg(), repo(), "");

        assertThat(env.python()).isEqualTo(found);
        assertThat(env.frozen()).isEmpty();
    }

    @Test
    void anInterpreterThatDoesNotRunIsNamedWithTheVariable() {
        String missing = work.resolve("no/such/python").toString();
        assertThatThrownBy(() -> builder(SkipInstall.of(Map.of(SkipInstall.SKIP_PIP_VENV, missing)))
                .build(needingTinypkg(), repo(), ""))
                .isInstanceOfSatisfying(EnvironmentException.class, e -> {
                    assertThat(e.statusReason()).isEqualTo("python not found");
                    assertThat(e.getMessage()).contains(missing, "CLEARML_AGENT_SKIP_PIP_VENV_INSTALL");
                });
    }
}
