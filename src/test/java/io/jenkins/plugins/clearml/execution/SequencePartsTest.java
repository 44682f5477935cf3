package io.jenkins.plugins.clearml.execution;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.clearml.client.TaskState;
import io.jenkins.plugins.clearml.client.TaskStatus;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The pure decisions of the sequence, one rule per assertion. */
class SequencePartsTest {

    private static Optional<TaskState> read(TaskStatus status, String message) {
        return Optional.of(new TaskState(status, message, ""));
    }

    @Test
    void abortDecisionFollowsTheRealAgent() {
        AbortDecision d = new AbortDecision();
        assertThat(d.next(read(TaskStatus.IN_PROGRESS, ""))).isNull();
        assertThat(d.next(read(TaskStatus.IN_PROGRESS, "stopping")).kind()).isEqualTo(StopReason.Kind.USER_ABORT);
        assertThat(d.next(read(TaskStatus.STOPPED, "")).kind()).isEqualTo(StopReason.Kind.STATUS_CHANGED);
        assertThat(d.next(read(TaskStatus.QUEUED, "")).observed()).isEqualTo(TaskStatus.QUEUED);
        assertThat(d.next(read(TaskStatus.COMPLETED, ""))).isNull();
        assertThat(d.next(Optional.empty()).kind()).isEqualTo(StopReason.Kind.NOT_FOUND);
        assertThat(StopReason.userAbort().kind().marksStopped()).isTrue();
        assertThat(StopReason.statusChanged(TaskStatus.FAILED).kind().marksStopped()).isFalse();
    }

    @Test
    void createdMustBeReadFiveTimesInARowToMeanReset() {
        AbortDecision d = new AbortDecision();
        for (int i = 0; i < 4; i++) {
            assertThat(d.next(read(TaskStatus.CREATED, "reset"))).isNull();
        }
        assertThat(d.next(read(TaskStatus.IN_PROGRESS, ""))).isNull();
        for (int i = 0; i < 4; i++) {
            assertThat(d.next(read(TaskStatus.CREATED, "reset"))).isNull();
        }
        assertThat(d.next(read(TaskStatus.CREATED, "reset")).kind()).isEqualTo(StopReason.Kind.RESET);
    }

    @Test
    void scriptArgumentsAreSortedFlagsWithValues() {
        assertThat(ScriptArguments.of(Map.of("Args", Map.of("lr", "0.1", "epochs", "3", "verbose", "True",
                "quiet", "False", "out", "", "opt", "None", "--raw", "x y"), "General", Map.of("ignored", "1"))))
                .containsExactly("--raw=x y", "--epochs=3", "--lr=0.1", "--verbose");
        assertThat(ScriptArguments.of(Map.of())).isEmpty();
    }

    @Test
    void entryPointCommandsAsTheRealAgentBuildsThem() {
        assertThat(EntryPointCommand.build("/v/bin/python", "python3", "train.py", true, List.of("--a=1")))
                .containsExactly("/v/bin/python", "-u", "train.py", "--a=1");
        assertThat(EntryPointCommand.build("/v/bin/python", "python3.10", "-m pkg.main --fast", false, List.of()))
                .containsExactly("/v/bin/python", "-u", "-m", "pkg.main", "--fast");
        assertThat(EntryPointCommand.build("/v/bin/python", "python3", "tools/run.py --config 'a b'", false, List.of()))
                .containsExactly("/v/bin/python", "-u", "tools/run.py", "--config", "a b");
        assertThat(EntryPointCommand.build("/v/bin/python", "bash", "run.sh", true, List.of()))
                .containsExactly("/bin/bash", "run.sh");
        assertThat(EntryPointCommand.build(null, "/bin/bash", "-c echo hi", false, List.of()))
                .containsExactly("/bin/bash", "-c", "echo hi");
        assertThat(EntryPointCommand.scriptFile("-m pkg")).isNull();
    }

    @Test
    void pythonPathIsInheritedThenWorkingDirThenEntryDirThenSysPath() {
        assertThat(TaskEnvironment.pythonPath("/opt/lib:", "/w/repo/src", "/w/repo/src/tools",
                List.of("/usr/lib/python311.zip", "/w/repo/src")))
                .isEqualTo("/opt/lib:/w/repo/src:/w/repo/src/tools:/usr/lib/python311.zip");
    }

    @Test
    void requirementsWriteBackKeepsTheOriginalOnlyTheFirstTime() {
        Map<String, Object> first = WriteBackRequirements.requirements(Map.of("pip", "torch\n"), "torch==2.1.0\n");
        assertThat(first).containsEntry("pip", "torch==2.1.0\n").containsEntry("org_pip", "torch\n");
        Map<String, Object> again = WriteBackRequirements.requirements(first, "torch==2.2.0\n");
        assertThat(again).containsEntry("pip", "torch==2.2.0\n").containsEntry("org_pip", "torch\n");
        assertThat(WriteBackRequirements.requirements(Map.of("pip", List.of("a", "b")), "a==1\nb==2\n"))
                .containsEntry("org_pip", "a\nb\n");
    }
}
