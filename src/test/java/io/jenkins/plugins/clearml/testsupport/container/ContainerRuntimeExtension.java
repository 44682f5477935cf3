package io.jenkins.plugins.clearml.testsupport.container;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Makes sure a container runtime answers the plain {@code docker} command line and that the test image exists,
 * provisioning them with the shared {@code container-runtime/setup.sh} when they do not. It fails, never skips: a
 * test that needs containers must not pass silently on a machine without them.
 *
 * <p>After each test it checks that no container labelled {@code clearml-agent=clearml-jenkins} is left: any left
 * is removed and the test fails.
 *
 * <p>setup.sh is found through the system property {@value #SETUP_PROPERTY}, the variable {@value #SETUP_ENV}, then
 * {@code ../shared/container-runtime/setup.sh} beside the project, then {@value #WORK_SETUP}.
 */
public final class ContainerRuntimeExtension implements BeforeAllCallback, AfterEachCallback {

    /** The image setup.sh builds: Debian python3, pip, venv and git. */
    public static final String TEST_IMAGE = "localhost/clearml-test:py3";
    public static final String SETUP_PROPERTY = "clearml.containerRuntime.setup";
    public static final String SETUP_ENV = "CLEARML_CONTAINER_RUNTIME_SETUP";
    static final String WORK_SETUP = "/work/shared/container-runtime/setup.sh";
    private static final String OUR_LABEL = "clearml-agent=clearml-jenkins";

    private static volatile boolean ready;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        ensureRuntime();
    }

    /** Idempotent; the first call in a JVM may take a minute or two on a fresh machine. */
    public static synchronized void ensureRuntime() throws IOException, InterruptedException {
        if (ready) {
            return;
        }
        if (!runtimeReady()) {
            Path setup = findSetupScript();
            if (setup == null) {
                throw new AssertionError("No container runtime answers `docker info`, and setup.sh was not found. "
                        + "Set -D" + SETUP_PROPERTY + "=/path/to/container-runtime/setup.sh (or " + SETUP_ENV + ").");
            }
            Result r = provision(setup);
            if (r.code != 0 || !runtimeReady()) {
                throw new AssertionError("Could not provision the container runtime with " + setup + " (exit code "
                        + r.code + "):\n" + r.output + "\n`docker info` after it:\n" + docker("info").output);
            }
        }
        ready = true;
    }

    private static boolean runtimeReady() throws IOException, InterruptedException {
        return docker("info", "--format", "{{.ServerVersion}}").code == 0
                && docker("image", "inspect", "--format", "{{.Id}}", TEST_IMAGE).code == 0;
    }

    private static Result provision(Path setup) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        if (!"root".equals(System.getProperty("user.name"))) {
            command.addAll(List.of("sudo", "-n")); // rootful podman; fails with a clear message without sudo rights
        }
        command.addAll(List.of("bash", setup.toString()));
        return exec(command, 20);
    }

    static Path findSetupScript() {
        List<Path> candidates = new ArrayList<>();
        String property = System.getProperty(SETUP_PROPERTY);
        if (property != null && !property.isBlank()) {
            candidates.add(Path.of(property));
        }
        String env = System.getenv(SETUP_ENV);
        if (env != null && !env.isBlank()) {
            candidates.add(Path.of(env));
        }
        Path root = Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath();
        candidates.add(root.resolve("../shared/container-runtime/setup.sh").normalize());
        candidates.add(root.resolve("shared/container-runtime/setup.sh"));
        candidates.add(Path.of(WORK_SETUP));
        return candidates.stream().filter(Files::isRegularFile).findFirst().orElse(null);
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        List<String> left = leftoverContainers();
        if (!left.isEmpty()) {
            List<String> rm = new ArrayList<>(List.of("rm", "-f"));
            rm.addAll(left);
            docker(rm.toArray(String[]::new));
            throw new AssertionError("Containers left behind by the test (now removed): " + left);
        }
    }

    /** Names of the containers this plugin started that still exist, running or not. */
    public static List<String> leftoverContainers() throws IOException, InterruptedException {
        Result ps = docker("ps", "-a", "--filter", "label=" + OUR_LABEL, "--format", "{{.Names}}");
        if (ps.code != 0) {
            throw new AssertionError("docker ps failed: " + ps.output);
        }
        return ps.output.lines().map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    public static Result docker(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("docker"));
        command.addAll(List.of(args));
        return exec(command, 5);
    }

    private static Result exec(List<String> command, int minutes) throws IOException, InterruptedException {
        File log = File.createTempFile("container-runtime", ".log");
        try {
            // From /: setup.sh starts the podman service, which keeps its working directory; a build folder
            // deleted later would leave every later container start failing in conmon.
            Process p = new ProcessBuilder(command).directory(new File("/")).redirectErrorStream(true)
                    .redirectOutput(log).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            if (!p.waitFor(minutes, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                return new Result(124, String.join(" ", command) + " did not finish in " + minutes + " min");
            }
            return new Result(p.exitValue(), Files.readString(log.toPath(), StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(log.toPath());
        }
    }

    /** Exit code and merged output of a command. */
    public record Result(int code, String output) {
    }
}
