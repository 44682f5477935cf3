package io.jenkins.plugins.clearml.jenkins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hudson.Proc;
import io.jenkins.plugins.clearml.node.ProcessSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The translation of the process port onto Launcher and Proc; the Jenkins classes themselves are not here. */
class JenkinsNodeProcessesTest {

    @Test
    void removedVariablesBecomeEmptyOverridesAndSetOnesWin() {
        ProcessSpec spec = ProcessSpec.of(List.of("python", "-c", "pass"), "/work")
                .withEnvironment(Map.of("B", "2", "A", "1", "PYTHONPATH", "/code"))
                .withoutEnvironment(List.of("VIRTUAL_ENV", "PYTHONPATH"));
        LaunchPlan plan = LaunchPlan.of(spec);
        assertThat(plan.command()).containsExactly("python", "-c", "pass");
        assertThat(plan.workingDir()).isEqualTo("/work");
        assertThat(plan.environmentOverrides()).containsExactly(
                Map.entry("VIRTUAL_ENV", ""), Map.entry("A", "1"), Map.entry("B", "2"), Map.entry("PYTHONPATH", "/code"));
        assertThat(plan.stdin()).isEmpty();
    }

    @Test
    void inputIsPassedAndThePlanNeverShowsValues() {
        LaunchPlan plan = LaunchPlan.of(ProcessSpec.of("cat").withStdin("token".getBytes())
                .withEnvironment(Map.of("GIT_PASSWORD", "hunter2")));
        assertThat(new String(plan.stdin())).isEqualTo("token");
        assertThat(plan.toString()).contains("GIT_PASSWORD", "5 bytes").doesNotContain("hunter2").doesNotContain("token");
    }

    /** A Proc over a real process, as LocalProc is; lets the adapter's own logic be checked. */
    private static final class ProcessProc extends Proc {
        private final Process process;
        boolean killed;

        ProcessProc(Process process) {
            this.process = process;
        }

        @Override
        public InputStream getStdout() {
            return process.getInputStream();
        }

        @Override
        public boolean isAlive() {
            return process.isAlive();
        }

        @Override
        public int join() throws InterruptedException {
            return process.waitFor();
        }

        @Override
        public void kill() {
            killed = true;
            process.destroyForcibly();
        }
    }

    @Test
    void waitingWithATimeoutReportsARunningProcessThenItsEnd() throws Exception {
        ProcessProc proc = new ProcessProc(new ProcessBuilder("sleep", "30").start());
        JenkinsNodeProcesses.ProcProcess running = new JenkinsNodeProcesses.ProcProcess(proc);
        assertThat(running.waitFor(Duration.ofMillis(200))).isFalse();
        assertThat(running.isAlive()).isTrue();
        running.killTree();
        assertThat(proc.killed).isTrue();
        assertThat(running.waitFor(Duration.ofSeconds(20))).isTrue();
        assertThat(running.isAlive()).isFalse();
    }

    @Test
    void outputAndExitCodeComeFromTheProc() throws Exception {
        ProcessProc proc = new ProcessProc(new ProcessBuilder("sh", "-c", "echo out; echo err >&2; exit 3")
                .redirectErrorStream(true).start());
        JenkinsNodeProcesses.ProcProcess running = new JenkinsNodeProcesses.ProcProcess(proc);
        String output = new String(running.output().readAllBytes());
        assertThat(output).isEqualTo("out\nerr\n");
        assertThat(running.waitFor()).isEqualTo(3);
    }

    @Test
    void aLostChannelMeansTheProcessIsGone() throws Exception {
        Proc lost = new Proc() {
            @Override
            public InputStream getStdout() {
                return InputStream.nullInputStream();
            }

            @Override
            public boolean isAlive() throws IOException {
                throw new IOException("channel closed");
            }

            @Override
            public int join() throws IOException {
                throw new IOException("channel closed");
            }

            @Override
            public void kill() throws IOException {
                throw new IOException("channel closed");
            }
        };
        JenkinsNodeProcesses.ProcProcess running = new JenkinsNodeProcesses.ProcProcess(lost);
        assertThat(running.isAlive()).isFalse();
        assertThat(running.waitFor(Duration.ofSeconds(5))).isTrue();
        running.killTree();
        assertThatThrownBy(running::waitFor).isInstanceOf(UncheckedIOException.class).hasMessageContaining("channel closed");
    }
}
