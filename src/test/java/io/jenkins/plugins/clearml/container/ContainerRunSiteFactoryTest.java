package io.jenkins.plugins.clearml.container;

import static io.jenkins.plugins.clearml.testsupport.container.ContainerRuntimeExtension.TEST_IMAGE;
import static io.jenkins.plugins.clearml.testsupport.container.ContainerRuntimeExtension.docker;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.jenkins.plugins.clearml.client.TaskContainer;
import io.jenkins.plugins.clearml.execution.RunSiteException;
import io.jenkins.plugins.clearml.node.ProcessResult;
import io.jenkins.plugins.clearml.node.ProcessSpec;
import io.jenkins.plugins.clearml.node.RunningProcess;
import io.jenkins.plugins.clearml.testsupport.container.ContainerRuntimeExtension;
import io.jenkins.plugins.clearml.testsupport.container.RequiresContainerRuntime;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Opens real containers (see {@link RequiresContainerRuntime}) and runs processes in them. */
@RequiresContainerRuntime
class ContainerRunSiteFactoryTest {

    @TempDir
    Path tmp;

    private SiteFixture fixture;
    private Path pipCache;

    @BeforeEach
    void setUp() throws Exception {
        Path workspace = Files.createDirectories(tmp.resolve("workspace"));
        pipCache = tmp.resolve("pip-cache");
        fixture = new SiteFixture(workspace);
    }

    private DockerSettings settings(List<String> extra, List<String> allowed, List<String> hidden) {
        return new DockerSettings("docker", TEST_IMAGE, List.of(), extra, allowed, hidden, pipCache.toString(), false);
    }

    /** A watchdog quick enough for a test: the container outlives its agent by 4 s. */
    private DockerSettings quickWatchdog() {
        return new DockerSettings("docker", TEST_IMAGE, List.of(), List.of(), List.of(), List.of(), pipCache.toString(),
                false, new OrphanWatch(4, 1));
    }

    private ContainerSite open() throws Exception {
        return open(settings(List.of(), List.of(), List.of()));
    }

    private ContainerSite open(DockerSettings settings) throws Exception {
        return (ContainerSite) new ContainerRunSiteFactory(settings).open(fixture.context());
    }

    @Test
    void runsCommandsInsideTheContainerInTheWorkspaceAndRemovesItOnClose() throws Exception {
        Files.writeString(fixture.workspace.resolve("hello.py"), "import os\nprint('hello from', os.getcwd())\n");
        String name;
        try (ContainerSite site = open()) {
            name = site.containerName();
            ProcessResult r = SiteFixture.run(site, "python3", "hello.py");
            assertThat(r.exitCode()).isZero();
            assertThat(r.output()).contains("hello from " + fixture.workspace);
            // podman marks its containers with /run/.containerenv, Docker with /.dockerenv
            assertThat(SiteFixture.run(site, "sh", "-c", "test -f /run/.containerenv || test -f /.dockerenv")
                    .exitCode()).isZero();
            // files written inside land in the node's workspace (same path on both sides)
            SiteFixture.run(site, "sh", "-c", "echo made-inside > out.txt");
            assertThat(fixture.workspace.resolve("out.txt")).hasContent("made-inside");
            assertThat(docker("inspect", "--format",
                    "{{index .Config.Labels \"clearml-task-id\"}} {{index .Config.Labels \"clearml-worker-id\"}}", name)
                    .output().strip()).isEqualTo(fixture.taskId + " worker-under-test");
            assertThat(site.environment()).containsEntry("CLEARML_DOCKER_IMAGE", TEST_IMAGE);
            assertThat(site.describe()).contains(name).contains(TEST_IMAGE);
        }
        assertThat(docker("inspect", name).code()).isNotZero();
        assertThat(fixture.consoleText()).contains("Removed container " + name).doesNotContain("WARNING");
        assertThat(fixture.node.dockerRun()).contains("--rm");
    }

    @Test
    void whileTheAgentBeatsTheWatchdogLeavesTheContainerRunningPastItsTimeout() throws Exception {
        try (ContainerSite site = open(quickWatchdog())) {
            assertThat(SiteFixture.run(site, "sh", "-c", "sleep 7; echo still here").output()).contains("still here");
            assertThat(docker("inspect", "--format", "{{.State.Running}}", site.containerName()).output().strip())
                    .isEqualTo("true");
        }
        assertThat(fixture.consoleText()).doesNotContain("WARNING");
    }

    @Test
    void withoutHeartbeatTheContainerEndsItsProcessesAndRemovesItselfAndCloseStaysQuiet() throws Exception {
        ContainerSite site = open(quickWatchdog());
        RunningProcess p = site.processes().start(ProcessSpec.of("sleep", "600"));
        site.stopHeartbeat(); // what a SIGKILLed agent does
        assertThat(p.waitFor(Duration.ofSeconds(60))).as("the process in the container ended").isTrue();
        assertThat(p.waitFor()).isNotZero();
        for (int i = 0; i < 100 && docker("inspect", site.containerName()).code() == 0; i++) {
            Thread.sleep(300); // --rm removes it a moment after its PID 1 exits
        }
        assertThat(docker("inspect", site.containerName()).code()).isNotZero();
        site.close();
        assertThat(fixture.consoleText()).contains("Removed container " + site.containerName())
                .doesNotContain("WARNING");
    }

    @Test
    void exitCodesComeFromTheProcessInsideTheContainer() throws Exception {
        try (ContainerSite site = open()) {
            assertThat(SiteFixture.run(site, "sh", "-c", "exit 7").exitCode()).isEqualTo(7);
            assertThat(SiteFixture.run(site, "python3", "-c", "import sys; print('x'); sys.exit(3)").exitCode())
                    .isEqualTo(3);
            assertThat(SiteFixture.run(site, "no-such-program").exitCode()).isEqualTo(127);
        }
    }

    @Test
    void killTreeStopsTheProcessInsideTheContainer() throws Exception {
        try (ContainerSite site = open()) {
            RunningProcess p = site.processes().start(ProcessSpec.of("sh", "-c",
                    "python3 -c 'import time; time.sleep(600)' & echo started; wait"));
            BufferedReader out = new BufferedReader(new InputStreamReader(p.output(), StandardCharsets.UTF_8));
            assertThat(out.readLine()).isEqualTo("started");
            p.killTree();
            assertThat(p.waitFor(Duration.ofSeconds(30))).isTrue();
            assertThat(p.waitFor()).isNotZero();
            String processes = SiteFixture.run(site, "sh", "-c",
                    "for p in /proc/[0-9]*; do tr '\\0' ' ' < $p/cmdline; echo; done").output();
            assertThat(processes).doesNotContain("time.sleep(600)");
        }
    }

    @Test
    void closingMidRunEndsTheRunningProcessAndRemovesTheContainer() throws Exception {
        ContainerSite site = open();
        RunningProcess p = site.processes().start(ProcessSpec.of("python3", "-u", "-c",
                "import time\nprint('running', flush=True)\ntime.sleep(600)"));
        BufferedReader out = new BufferedReader(new InputStreamReader(p.output(), StandardCharsets.UTF_8));
        assertThat(out.readLine()).isEqualTo("running");
        Thread closer = new Thread(site::close);
        closer.start();
        assertThat(p.waitFor(Duration.ofSeconds(60))).isTrue();
        closer.join(60_000);
        assertThat(p.waitFor()).isNotZero();
        assertThat(docker("inspect", site.containerName()).code()).isNotZero();
        site.close(); // twice is harmless
    }

    @Test
    void environmentReachesTheProcessAndSecretsNeverAnyCommandLine() throws Exception {
        fixture.secrets.put("CLEARML_API_SECRET_KEY", "api-secret-1234");
        fixture.secrets.put("CLEARML_AGENT_GIT_PASS", "git-pass-5678");
        fixture.environment.put("CLEARML_API_HOST", "http://clearml.example.com:8008");
        fixture.environment.put("AWS_SECRET_ACCESS_KEY", "aws-secret-9999"); // secret by its name
        fixture.gpus = List.of("0", "1");
        try (ContainerSite site = open()) {
            ProcessSpec spec = ProcessSpec.of("python3", "-c", "import os, json; print(json.dumps(dict(os.environ)))")
                    .withEnvironment(Map.of("EXTRA", "extra-value", "MY_TOKEN", "exec-token-4321",
                            "CLEARML_API_SECRET_KEY", "api-secret-1234", "CUDA_VISIBLE_DEVICES", "0,1"))
                    .withoutEnvironment(List.of("CLEARML_API_HOST"));
            String out = site.processes().run(spec).output();
            assertThat(out).contains("\"CLEARML_TASK_ID\": \"" + fixture.taskId + "\"")
                    .contains("\"CLEARML_API_SECRET_KEY\": \"api-secret-1234\"")
                    .contains("\"CLEARML_AGENT_GIT_PASS\": \"git-pass-5678\"")
                    .contains("\"AWS_SECRET_ACCESS_KEY\": \"aws-secret-9999\"")
                    .contains("\"EXTRA\": \"extra-value\"")
                    .contains("\"MY_TOKEN\": \"exec-token-4321\"")
                    .contains("\"NVIDIA_VISIBLE_DEVICES\": \"0,1\"")
                    .contains("\"CUDA_VISIBLE_DEVICES\": \"0,1\"")
                    .contains("\"CLEARML_DOCKER_IMAGE\": \"" + TEST_IMAGE + "\"")
                    .contains("\"PIP_CACHE_DIR\": \"" + pipCache + "\"")
                    .doesNotContain("CLEARML_API_HOST");
            assertThat(fixture.node.dockerRun()).containsSequence("--gpus", "\"device=0,1\"");
            // the env files are gone as soon as their docker client has read them
            try (var dirs = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
                assertThat(dirs.filter(d -> d.getFileName().toString().startsWith("clearml-docker-"))
                        .flatMap(d -> d.toFile().list() == null ? java.util.stream.Stream.empty()
                                : java.util.Arrays.stream(d.toFile().list())))
                        .noneMatch(f -> f.endsWith(".env"));
            }
        }
        for (String line : fixture.node.commandLines()) {
            assertThat(line).doesNotContain("api-secret-1234", "git-pass-5678", "aws-secret-9999", "exec-token-4321");
        }
        assertThat(fixture.consoleText()).doesNotContain("api-secret-1234", "git-pass-5678", "aws-secret-9999")
                .contains("--env-file");
    }

    @Test
    void secretsInTaskArgumentsAreMaskedInTheConsole() throws Exception {
        fixture.container = new TaskContainer(TEST_IMAGE,
                "-e DB_PASSWORD=hunter2 -e SHOWN=visible -e CUSTOM_HIDDEN=quiet-value", "");
        try (ContainerSite site = open(settings(List.of("-e", "ADMIN_TOKEN=admin-tok"), List.of(),
                List.of("CUSTOM_HIDDEN")))) {
            assertThat(SiteFixture.run(site, "sh", "-c", "echo $DB_PASSWORD $CUSTOM_HIDDEN $ADMIN_TOKEN").output())
                    .contains("hunter2 quiet-value admin-tok");
        }
        String started = fixture.console.stream().filter(l -> l.startsWith("Starting container:")).findFirst()
                .orElseThrow();
        assertThat(started).contains("DB_PASSWORD=********", "CUSTOM_HIDDEN=********", "ADMIN_TOKEN=********",
                "SHOWN=visible").doesNotContain("hunter2", "quiet-value", "admin-tok");
    }

    @Test
    void hideEnvVariableOfTheNodeIsHonoured() throws Exception {
        fixture.nodeEnvironment.put("CLEARML_AGENT_DOCKER_ARGS_HIDE_ENV", "PLAIN_NAME");
        fixture.container = new TaskContainer(TEST_IMAGE, "-e PLAIN_NAME=do-not-print", "");
        try (ContainerSite site = open()) {
            assertThat(site.containerName()).isNotBlank();
        }
        assertThat(fixture.consoleText()).contains("PLAIN_NAME=********").doesNotContain("do-not-print");
    }

    @Test
    void refusedTaskArgumentFailsBeforeAnyContainerStarts() {
        fixture.container = new TaskContainer(TEST_IMAGE, "--shm-size 1g --privileged", "");
        assertThatThrownBy(this::open).isInstanceOf(RunSiteException.class)
                .hasMessageContaining("'--privileged'")
                .satisfies(e -> assertThat(((RunSiteException) e).statusReason())
                        .isEqualTo("docker argument refused: --privileged"));
        assertThat(fixture.node.commandLines()).noneMatch(l -> l.contains(" run "));
    }

    @Test
    void allowedByTheAdministratorTheArgumentIsPassed() throws Exception {
        fixture.container = new TaskContainer(TEST_IMAGE, "--cap-add SYS_PTRACE", "");
        try (ContainerSite site = open(settings(List.of(), List.of("--cap-add=SYS_PTRACE"), List.of()))) {
            assertThat(docker("inspect", "--format", "{{.HostConfig.CapAdd}}", site.containerName()).output())
                    .contains("SYS_PTRACE");
        }
    }

    @Test
    void setupScriptRunsInsideBeforeTheTask() throws Exception {
        fixture.container = new TaskContainer("", "",
                "# comment\necho \"setup $((40+2))\"\necho ready > /opt/setup-marker\n");
        try (ContainerSite site = open()) {
            assertThat(SiteFixture.run(site, "cat", "/opt/setup-marker").output().strip()).isEqualTo("ready");
        }
        assertThat(fixture.console).contains("setup 42");
        assertThat(fixture.consoleText()).contains("(the agent's default image)");
    }

    @Test
    void failingSetupScriptFailsTheRunAndLeavesNoContainer() {
        fixture.container = new TaskContainer(TEST_IMAGE, "", "echo trying\nexit 4\n");
        assertThatThrownBy(this::open).isInstanceOf(RunSiteException.class)
                .hasMessageContaining("exited with code 4");
        assertThat(fixture.console).contains("trying");
    }

    @Test
    void missingImageIsPulledWithProgress() throws Exception {
        String image = "localhost/clearml-pulltest:" + Long.toHexString(System.nanoTime());
        assertThat(docker("tag", TEST_IMAGE, image).code()).isZero();
        try {
            ContainerRuntimeExtension.Result push = docker("push", image);
            assertThat(push.code()).as(push.output()).isZero();
            assertThat(docker("rmi", image).code()).isZero();
            fixture.requestedImage = image;
            try (ContainerSite site = open()) {
                assertThat(SiteFixture.run(site, "python3", "-c", "print(6*7)").output().strip()).isEqualTo("42");
            }
            assertThat(fixture.consoleText()).contains("Pulling docker image " + image)
                    .contains("(requested on the command line)");
        } finally {
            docker("rmi", "-f", image);
        }
    }

    @Test
    void failedPullFailsTheRunWithTheEnginesMessage() {
        fixture.requestedImage = "localhost/clearml-no-such-image:missing";
        assertThatThrownBy(this::open).isInstanceOf(RunSiteException.class)
                .hasMessageContaining("Could not pull docker image localhost/clearml-no-such-image:missing")
                .hasMessageContaining("manifest unknown")
                .satisfies(e -> assertThat(((RunSiteException) e).statusReason())
                        .startsWith("docker pull failed"));
    }

    @Test
    void dockerRunFailureFailsTheRunAndLeavesNothing() {
        assertThatThrownBy(() -> open(settings(List.of("--memory", "not-a-size"), List.of(), List.of())))
                .isInstanceOf(RunSiteException.class)
                .hasMessageContaining("Could not start a container from " + TEST_IMAGE)
                .satisfies(e -> assertThat(((RunSiteException) e).statusReason()).isEqualTo("docker run failed"));
    }

    @Test
    void noImageAnywhereIsAClearError() {
        DockerSettings noDefault = new DockerSettings("docker", "", List.of(), List.of(), List.of(), List.of(),
                pipCache.toString(), false);
        assertThatThrownBy(() -> open(noDefault)).isInstanceOf(RunSiteException.class)
                .hasMessageContaining("--docker IMAGE");
    }

    @Test
    void loopbackServerIsReachedThroughTheHostNetwork() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", ex -> {
            byte[] body = "pong".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort();
            fixture.environment.put("CLEARML_API_HOST", url);
            try (ContainerSite site = open()) {
                ProcessResult r = SiteFixture.run(site, "python3", "-c",
                        "import os, urllib.request; print(urllib.request.urlopen(os.environ['CLEARML_API_HOST']).read().decode())");
                assertThat(r.output().strip()).isEqualTo("pong");
            }
            assertThat(fixture.node.dockerRun()).containsSequence("--network", "host");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void cachesMountedAtTheSamePathSurviveTheContainer() throws Exception {
        Path venvs = Files.createDirectories(tmp.resolve("venvs"));
        fixture.mountDirs.add(venvs.toString());
        try (ContainerSite site = open()) {
            assertThat(SiteFixture.run(site, "sh", "-c", "python3 -m venv " + venvs + "/v1 && echo cached > \"$PIP_CACHE_DIR/probe\"")
                    .exitCode()).isZero();
        }
        assertThat(pipCache.resolve("probe")).hasContent("cached");
        try (ContainerSite site = open()) {
            assertThat(SiteFixture.run(site, venvs + "/v1/bin/python", "-c", "import sys; print(sys.prefix)")
                    .output().strip()).isEqualTo(venvs + "/v1");
        }
    }
}
