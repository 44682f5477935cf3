package io.jenkins.plugins.clearml.python;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.clearml.client.TaskScript;
import io.jenkins.plugins.clearml.node.LocalNode;
import io.jenkins.plugins.clearml.node.ProcessResult;
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

/** Real venvs, real pip, offline: packages come from wheels the test writes into a find-links folder. */
class PythonEnvironmentBuilderTest {

    @TempDir
    static Path wheels;
    static NodeWithEnvironment node;

    @TempDir
    Path work;
    final List<String> console = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void writeWheels() throws Exception {
        // Only the node's own pip configuration points pip at the wheels: the builder must leave it alone.
        node = OfflinePip.nodeWithTinyPackages(wheels);
    }

    private PythonSettings settings(String cacheDir) {
        return new PythonSettings("", work.resolve("venvs").toString(), cacheDir, 10, List.of(), List.of(), false);
    }

    private PythonEnvironmentBuilder builder(PythonSettings settings) {
        return new PythonEnvironmentBuilder(node, LocalNode.get(), settings, console::add);
    }

    private static TaskScript script(String binary, Object pip) {
        return new TaskScript(binary, "https://example.com/repo.git", "main", "", "", "main.py", ".", "",
                pip == null ? Map.of() : Map.of("pip", pip));
    }

    private PreparedCode code(Path root, Path workingDir) {
        return new PreparedCode(root.toString(), workingDir.toString(), "main.py", "", true);
    }

    private PreparedCode emptyRepo() throws Exception {
        Path repo = Files.createDirectories(work.resolve("repo"));
        return code(repo, repo);
    }

    private static ProcessResult runPython(PythonEnvironment env, String code) throws Exception {
        return LocalNode.get().run(ProcessSpec.of(env.python(), "-c", code));
    }

    @Test
    void taskWithoutRequirementsGetsAnEmptyVenv() throws Exception {
        PythonEnvironment env = builder(settings(null)).build(script("python3", null), emptyRepo(), "");

        assertThat(Path.of(env.python())).isExecutable();
        assertThat(env.python()).isEqualTo(env.venvDir() + "/bin/python");
        assertThat(env.frozen()).isEmpty();
        assertThat(env.fromCache()).isFalse();
        assertThat(env.sysPath()).anyMatch(p -> p.startsWith(env.venvDir()) && p.endsWith("site-packages"));
        assertThat(console).contains("::: No requirements to install :::")
                .noneMatch(l -> l.contains("pip install"));
    }

    @Test
    void installsTheTaskRequirementsThroughTheNodesPipConfiguration() throws Exception {
        PythonEnvironment env = builder(settings(null))
                .build(script("python3", List.of("# recorded by the SDK", "tinydep==1.0")), emptyRepo(), "");

        assertThat(env.frozen().lines()).containsExactly("tinydep==1.0", "tinypkg==1.0");
        assertThat(console).anyMatch(l -> l.contains("Successfully installed tinydep-1.0 tinypkg-1.0"));
        assertThat(runPython(env, "import tinypkg; print(tinypkg.VERSION)").output()).contains("1.0");
    }

    @Test
    void withoutRecordedRequirementsInstallsRequirementsTxtFromRootDownToTheEntryPoint() throws Exception {
        Path repo = Files.createDirectories(work.resolve("repo"));
        Path sub = Files.createDirectories(repo.resolve("train"));
        Files.writeString(repo.resolve("requirements.txt"), "tinypkg==1.0\n");
        Files.writeString(sub.resolve("requirements.txt"), "tinydep\n");
        Files.createDirectories(work.resolve("repo/elsewhere"));
        Files.writeString(repo.resolve("elsewhere/requirements.txt"), "not-installed\n");

        PythonEnvironment env = builder(settings(null)).build(script("python3", null),
                new PreparedCode(repo.toString(), repo.toString(), "train/main.py", "", true), "");

        assertThat(console).anyMatch(l -> l.contains(repo.resolve("requirements.txt") + ", "
                + sub.resolve("requirements.txt")));
        assertThat(env.frozen().lines()).containsExactly("tinydep==1.0", "tinypkg==1.0");
    }

    @Test
    void aRequirementTheIndexDoesNotHaveFailsNamingItAndQuotingPip() throws Exception {
        Path cache = work.resolve("cache");
        assertThatThrownBy(() -> builder(settings(cache.toString()))
                .build(script("python3", "tinypkg==1.0\nnosuchpkg==3.1\n"), emptyRepo(), ""))
                .isInstanceOfSatisfying(EnvironmentException.class, e -> {
                    assertThat(e.statusReason()).isEqualTo("failed installing requirements");
                    assertThat(e.getMessage()).contains("'nosuchpkg==3.1'", "PIP_FIND_LINKS", "extra_index_url",
                            "| ERROR: No matching distribution found for nosuchpkg==3.1");
                });
        // The failed venv is not left in the cache.
        assertThat(Files.list(cache).map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("venv-"));
        assertThat(Files.readString(cache.resolve("index.json"))).doesNotContain("venv-");
    }

    @Test
    void conflictingPinsAreReportedAsAConflict() throws Exception {
        assertThatThrownBy(() -> builder(settings(null))
                .build(script("python3", "tinydep==1.0\ntinypkg==2.0\n"), emptyRepo(), ""))
                .isInstanceOfSatisfying(EnvironmentException.class, e -> {
                    assertThat(e.statusReason()).isEqualTo("failed installing requirements");
                    assertThat(e.getMessage()).contains("no set of versions that satisfies all the requirements",
                            "tinydep 1.0 depends on tinypkg==1.0");
                });
    }

    @Test
    void garbageInTheRequirementsIsReportedAsSuch() throws Exception {
        assertThatThrownBy(() -> builder(settings(null))
                .build(script("python3", "tinypkg==1.0\n!!not a requirement\n"), emptyRepo(), ""))
                .isInstanceOfSatisfying(EnvironmentException.class, e -> {
                    assertThat(e.statusReason()).isEqualTo("invalid requirements");
                    assertThat(e.getMessage()).contains("'!!not a requirement'");
                });
    }

    @Test
    void aConfiguredInterpreterThatDoesNotExistIsNamed() {
        PythonSettings s = new PythonSettings("/opt/nowhere/python3.9", work.resolve("venvs").toString(), null, 10,
                List.of(), List.of(), false);
        assertThatThrownBy(() -> builder(s).build(script("python3", null), emptyRepo(), ""))
                .isInstanceOfSatisfying(EnvironmentException.class, e -> {
                    assertThat(e.statusReason()).isEqualTo("python not found");
                    assertThat(e.getMessage()).contains("'/opt/nowhere/python3.9'", "agent.python_binary");
                });
    }

    @Test
    void aNodeWithoutPythonSaysWhatWasTriedAndHowToConfigureOne() throws Exception {
        Path emptyBin = Files.createDirectories(work.resolve("empty-bin"));
        PythonEnvironmentBuilder noPython = new PythonEnvironmentBuilder(node.withPath(emptyBin.toString()),
                LocalNode.get(), settings(null), console::add);

        assertThatThrownBy(() -> noPython.build(script("python3.10", null), emptyRepo(), ""))
                .isInstanceOfSatisfying(EnvironmentException.class, e -> {
                    assertThat(e.statusReason()).isEqualTo("python not found");
                    assertThat(e.getMessage()).contains("tried python3.10, python3, python", "agent.python_binary");
                });
    }
}
