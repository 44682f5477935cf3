package io.jenkins.plugins.clearml.vcs;

import static io.jenkins.plugins.clearml.testsupport.git.TestGit.git;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.clearml.client.TaskScript;
import io.jenkins.plugins.clearml.node.ProcessSpec;
import io.jenkins.plugins.clearml.testsupport.git.GitHttpServer;
import io.jenkins.plugins.clearml.testsupport.git.RecordingNode;
import io.jenkins.plugins.clearml.testsupport.git.TestRepository;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Private repositories over smart HTTP with Basic authentication (a real {@code git http-backend}), credentials
 * handed to git by the askpass helper. The secret must reach the server and nothing else.
 */
class GitCredentialsTest {

    private static final String USER = "alice";
    private static final String TOKEN = "glpat-Sup3rS3cret_t0ken";

    @TempDir
    Path tmp;

    private TestRepository repo;
    private GitHttpServer server;
    private RecordingNode node;
    private Path nodeTemp;
    private final List<String> console = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        repo = TestRepository.create(tmp.resolve("served"), "private-repo");
        TestRepository inner = TestRepository.create(tmp.resolve("served"), "private-lib");
        inner.write("lib.py", "SECRET_FREE = True\n").commit("lib");
        inner.push();
        server = GitHttpServer.start(tmp.resolve("served"), USER, TOKEN);
        // A relative submodule: resolved against the superproject's address, so it needs the credentials too.
        repo.addSubmodule("../private-lib.git", "lib");
        nodeTemp = Files.createDirectories(tmp.resolve("node-tmp"));
        node = RecordingNode.local(nodeTemp);
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    private PreparedCode prepare(GitSettings settings, String url) throws Exception {
        return new RepositoryPreparer(node.access(), settings, console::add)
                .prepare(new TaskScript("python3", url, "main", null, repo.head(), "train.py", "", null, Map.of()),
                        tmp.resolve("ws").toString());
    }

    private GitSettings settings(String user, String pass, String host) {
        return new GitSettings(user, pass, host, tmp.resolve("cache").toString(), true, false);
    }

    @Test
    void clonesAPrivateRepositoryAndItsSubmoduleWithTheToken() throws Exception {
        ProcessWatcher watcher = ProcessWatcher.start(TOKEN);
        PreparedCode code;
        try {
            code = prepare(settings(USER, TOKEN, null), server.url("private-repo.git"));
        } finally {
            watcher.stop();
        }

        assertThat(watcher.processesSeen()).as("the watcher saw git at work").isPositive();
        assertThat(watcher.leaks()).as("no command line or environment of any process holds the token").isEmpty();

        assertThat(code.headCommit()).isEqualTo(repo.head());
        assertThat(Path.of(code.repositoryRoot(), "lib/lib.py")).hasContent("SECRET_FREE = True");
        assertThat(server.requests()).anyMatch(r -> USER.equals(r.user()) && r.path().startsWith("/private-lib.git"));
        assertSecretNowhere(code);
    }

    @Test
    void theSecondRunUpdatesTheCacheWithTheTokenToo() throws Exception {
        prepare(settings(USER, TOKEN, null), server.url("private-repo.git"));
        String newer = repo.write("train.py", "print('v2')\n").commit("v2");
        repo.push();

        PreparedCode code = new RepositoryPreparer(node.access(), settings(USER, TOKEN, null), console::add)
                .prepare(new TaskScript("python3", server.url("private-repo.git"), "main", null, newer, "train.py", "",
                        null, Map.of()), tmp.resolve("ws").toString());

        assertThat(code.headCommit()).isEqualTo(newer);
        assertSecretNowhere(code);
    }

    @Test
    void aWrongTokenFailsWithAClearMessageAndNoSecret() {
        String wrong = "wrong-" + TOKEN;
        assertThatThrownBy(() -> prepare(settings(USER, wrong, null), server.url("private-repo.git")))
                .isInstanceOfSatisfying(VcsException.class, e -> {
                    assertThat(e.statusReason()).isEqualTo("failed cloning repository");
                    assertThat(e.getMessage()).contains("rejected the git credentials")
                            .contains(server.url("private-repo.git")).doesNotContain(wrong);
                });
        assertThat(server.receivedCredentials()).contains(USER + ":" + wrong);
        assertThat(String.join("\n", console)).doesNotContain(wrong);
        assertThat(nodeTemp).isEmptyDirectory();
    }

    @Test
    void withoutCredentialsTheMessageSaysWhatToConfigure() {
        assertThatThrownBy(() -> prepare(settings(null, null, null), server.url("private-repo.git")))
                .isInstanceOfSatisfying(VcsException.class, e -> {
                    assertThat(e.statusReason()).isEqualTo("failed cloning repository");
                    assertThat(e.getMessage()).contains("none are configured").contains("git user");
                });
        assertThat(server.receivedCredentials()).isEmpty();
    }

    @Test
    void credentialsForAnotherHostAreNotSent() {
        assertThatThrownBy(() -> prepare(settings(USER, TOKEN, "git.example.com"), server.url("private-repo.git")))
                .isInstanceOf(VcsException.class);
        assertThat(server.receivedCredentials()).isEmpty();
    }

    @Test
    void credentialsLimitedToTheServersHostAreSent() throws Exception {
        PreparedCode code = prepare(settings(USER, TOKEN, "127.0.0.1"), server.url("private-repo.git"));

        assertThat(code.headCommit()).isEqualTo(repo.head());
        assertSecretNowhere(code);
    }

    @Test
    void aTokenEmbeddedInTheRecordedAddressIsMovedOutOfIt() throws Exception {
        String withToken = server.url("private-repo.git").replace("http://", "http://" + USER + ":" + TOKEN + "@");

        PreparedCode code = prepare(settings(null, null, null), withToken);

        assertThat(code.headCommit()).isEqualTo(repo.head());
        assertThat(git(Path.of(code.repositoryRoot()), "remote", "get-url", "origin"))
                .isEqualTo(server.url("private-repo.git"));
        assertSecretNowhere(code);
    }

    /**
     * Samples the command line and environment of every process this JVM starts, directly or not (git, its
     * remote helpers, the askpass script), while a checkout runs.
     */
    private static final class ProcessWatcher {
        private final String secret;
        private final java.util.Set<Long> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
        private final List<String> leaks = new CopyOnWriteArrayList<>();
        private final Thread thread;
        private volatile boolean running = true;

        private ProcessWatcher(String secret) {
            this.secret = secret;
            this.thread = new Thread(this::loop, "process-watcher");
            thread.setDaemon(true);
        }

        static ProcessWatcher start(String secret) {
            ProcessWatcher w = new ProcessWatcher(secret);
            w.thread.start();
            return w;
        }

        private void loop() {
            while (running) {
                ProcessHandle.current().descendants().forEach(p -> {
                    seen.add(p.pid());
                    for (String file : List.of("cmdline", "environ")) {
                        try {
                            String content = new String(Files.readAllBytes(Path.of("/proc", String.valueOf(p.pid()),
                                    file)), StandardCharsets.UTF_8);
                            if (content.contains(secret)) {
                                leaks.add(p.pid() + " " + file + ": " + content.replace('\0', ' '));
                            }
                        } catch (java.io.IOException ended) {
                            // the process ended between listing and reading
                        }
                    }
                });
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        void stop() throws InterruptedException {
            running = false;
            thread.join();
        }

        int processesSeen() {
            return seen.size();
        }

        List<String> leaks() {
            return List.copyOf(leaks);
        }
    }

    /** Not on the console, in no file of the workspace or the cache, on no command line or environment. */
    private void assertSecretNowhere(PreparedCode code) throws Exception {
        assertThat(String.join("\n", console)).doesNotContain(TOKEN);
        assertThat(Path.of(code.repositoryRoot(), ".git/config")).content().doesNotContain(TOKEN);
        assertThat(filesContaining(tmp.resolve("ws"), TOKEN)).isEmpty();
        assertThat(filesContaining(tmp.resolve("cache"), TOKEN)).isEmpty();
        for (ProcessSpec spec : node.started()) {
            assertThat(String.join(" ", spec.command())).doesNotContain(TOKEN);
            assertThat(spec.environment().toString()).doesNotContain(TOKEN);
        }
        assertThat(node.started()).anyMatch(spec -> spec.environment().containsKey("GIT_ASKPASS"));
        assertThat(nodeTemp).as("the askpass helper and its files are deleted").isEmptyDirectory();
    }

    private static List<Path> filesContaining(Path root, String secret) throws Exception {
        byte[] needle = secret.getBytes(StandardCharsets.UTF_8);
        List<Path> hits = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                if (indexOf(Files.readAllBytes(p), needle) >= 0) {
                    hits.add(p);
                }
            }
        }
        return hits;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
