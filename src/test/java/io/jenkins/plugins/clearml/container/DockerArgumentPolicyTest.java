package io.jenkins.plugins.clearml.container;

import io.jenkins.plugins.clearml.node.ShellWords;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.clearml.execution.RunSiteException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DockerArgumentPolicyTest {

    private static List<DockerArgument> args(String line) {
        return DockerArgument.parse(ShellWords.split(line));
    }

    private static List<String> filter(String task, String trusted, List<String> allowed, List<String> notes)
            throws RunSiteException {
        return DockerArgument.words(new DockerArgumentPolicy(allowed).filter(args(task), args(trusted), notes::add));
    }

    @Test
    void parsesShortLongAndInlineForms() {
        assertThat(args("-e A=1 --env=B=2 -eC=3 -v vol:/data --net=bridge -it --privileged").stream()
                .map(DockerArgument::canonical))
                .containsExactly("--env=A=1", "--env=B=2", "--env=C=3", "--volume=vol:/data", "--network=bridge",
                        "--interactive", "--tty", "--privileged");
    }

    @Test
    void safeArgumentsPassUnchanged() throws RunSiteException {
        String line = "--shm-size 8g -e A=1 --ipc=private --network bridge -v cache:/cache --ulimit nofile=1024 "
                + "--mount type=tmpfs,target=/scratch --memory 4g --user 1000:1000 --init";
        assertThat(filter(line, "", List.of(), new ArrayList<>())).containsExactlyElementsOf(ShellWords.split(line));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "--privileged", "--cap-add SYS_ADMIN", "--cap-add=ALL", "--device /dev/fuse", "--pid host", "--pid=host",
        "--ipc host", "--ipc=host", "--network host", "--net=host", "--network=container:other",
        "--security-opt seccomp=unconfined", "-v /:/host", "-v /etc:/etc:ro", "--volume=./x:/x",
        "--mount type=bind,source=/,target=/host", "--mount source=/etc,target=/e,type=bind", "--uts host",
        "--env-file /etc/shadow", "--gpus all", "--runtime nvidia", "--label clearml-task-id=other",
        "--userns host", "some-image", "--sysctl kernel.x=1"})
    void dangerousArgumentsAreRefusedByName(String line) {
        List<DockerArgument> parsed = args(line);
        String canonical = parsed.get(0).canonical();
        assertThatThrownBy(() -> filter(line, "", List.of(), new ArrayList<>()))
                .isInstanceOf(RunSiteException.class)
                .hasMessageContaining("'" + canonical + "'")
                .hasMessageContaining("agent.docker_args_filters")
                .satisfies(e -> assertThat(((RunSiteException) e).statusReason()).contains(canonical));
    }

    @Test
    void theFirstRefusedArgumentFailsEvenAfterSafeOnes() {
        assertThatThrownBy(() -> filter("-e A=1 --shm-size 1g --privileged", "", List.of(), new ArrayList<>()))
                .hasMessageContaining("'--privileged'")
                .hasMessageContaining("full access to the host");
    }

    @Test
    void administratorPatternsAllowByCanonicalFormOrFlag() throws RunSiteException {
        List<String> allowed = List.of("--privileged", "--network=host", "--volume=/data/.*", "--cap-add");
        assertThat(filter("--privileged --net host -v /data/sets:/sets --cap-add SYS_PTRACE", "", allowed,
                new ArrayList<>()))
                .containsExactly("--privileged", "--net", "host", "-v", "/data/sets:/sets", "--cap-add", "SYS_PTRACE");
        assertThatThrownBy(() -> filter("-v /etc:/etc", "", allowed, new ArrayList<>()))
                .hasMessageContaining("'--volume=/etc:/etc'");
    }

    @Test
    void invalidAdministratorPatternIsReported() {
        assertThatThrownBy(() -> new DockerArgumentPolicy(List.of("--cap-add=(")))
                .isInstanceOf(RunSiteException.class).hasMessageContaining("--cap-add=(");
    }

    @Test
    void agentControlledOptionsAreDroppedWithANote() throws RunSiteException {
        List<String> notes = new ArrayList<>();
        assertThat(filter("--rm -it --name mine -d -e A=1", "", List.of(), notes)).containsExactly("-e", "A=1");
        assertThat(notes).hasSize(5).allMatch(n -> n.startsWith("Ignoring the task's docker argument"));
    }

    @Test
    void administratorArgumentsWinOverTheTasksProtectedOptions() throws RunSiteException {
        List<String> notes = new ArrayList<>();
        assertThat(filter("--network bridge -e A=1", "--network mynet", List.of(), notes)).containsExactly("-e", "A=1");
        assertThat(notes).singleElement().asString().contains("--network=bridge");
    }
}
