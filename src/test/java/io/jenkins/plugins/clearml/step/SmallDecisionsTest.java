package io.jenkins.plugins.clearml.step;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.clearml.client.TaskStatus;
import io.jenkins.plugins.clearml.execution.ExecutionResult;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SmallDecisionsTest {

    @Test
    void gpuIndicesAreCommaSeparatedUniqueNumbers() throws Exception {
        assertThat(GpuSelection.parse("")).isEmpty();
        assertThat(GpuSelection.parse(null)).isEmpty();
        assertThat(GpuSelection.parse("0,1")).containsExactly("0", "1");
        assertThat(GpuSelection.parse(" 3 , 01")).containsExactly("3", "1");
        assertThatThrownBy(() -> GpuSelection.parse("0;1")).hasMessageContaining("e.g. gpus: '0,1'");
        assertThatThrownBy(() -> GpuSelection.parse("all")).hasMessageContaining("not a list of GPU indices");
        assertThatThrownBy(() -> GpuSelection.parse("0,")).hasMessageContaining("not a list of GPU indices");
        assertThatThrownBy(() -> GpuSelection.parse("1,1")).hasMessageContaining("GPU 1 is listed twice");
    }

    @Test
    void theBuildFollowsTheTasksEnd() {
        assertThat(BuildOutcome.of(TaskStatus.COMPLETED)).isEqualTo(BuildOutcome.SUCCESS);
        assertThat(BuildOutcome.of(TaskStatus.PUBLISHED)).isEqualTo(BuildOutcome.SUCCESS);
        assertThat(BuildOutcome.of(TaskStatus.FAILED)).isEqualTo(BuildOutcome.FAILURE);
        assertThat(BuildOutcome.of(TaskStatus.STOPPED)).isEqualTo(BuildOutcome.ABORTED);
        assertThat(BuildOutcome.of(TaskStatus.UNKNOWN)).isEqualTo(BuildOutcome.FAILURE);
        assertThat(BuildOutcome.of(TaskStatus.IN_PROGRESS)).isEqualTo(BuildOutcome.FAILURE);
    }

    @Test
    void thePipelineGetsIdStatusAndUrl() {
        ExecutionResult result = new ExecutionResult("t1", TaskStatus.FAILED, 3, "Script exited with code 3",
                "http://web/projects/p/experiments/t1/output/log");
        assertThat(StepResult.toMap(result)).containsExactly(
                org.assertj.core.api.Assertions.entry("id", "t1"),
                org.assertj.core.api.Assertions.entry("status", "failed"),
                org.assertj.core.api.Assertions.entry("url", "http://web/projects/p/experiments/t1/output/log"));
        assertThat(StepResult.summary(result, "train")).isEqualTo("ClearML task t1 'train' ended failed: Script exited "
                + "with code 3 (http://web/projects/p/experiments/t1/output/log)");
    }

    @Test
    void secretsAreMaskedInTheBuildLog() {
        List<String> lines = new ArrayList<>();
        MaskingConsole console = new MaskingConsole(lines::add, java.util.Arrays.asList("s3cr3t", null, "ab"));
        console.line("cloning with s3cr3t twice s3cr3t; ab stays");
        assertThat(lines).containsExactly("cloning with **** twice ****; ab stays");
        console.lines("epoch 1 s3cr3t\nepoch 2\n");
        assertThat(lines).containsExactly("cloning with **** twice ****; ab stays", "epoch 1 ****", "epoch 2");
    }

    @Test
    void aSecretPastedWithALineBreakIsMaskedWithoutJoiningLines() {
        List<String> lines = new ArrayList<>();
        MaskingConsole console = new MaskingConsole(lines::add, List.of("pw1-secret\n"));
        console.lines("clone pw1-secret\nnext\n");
        console.line("again pw1-secret");
        assertThat(lines).containsExactly("clone ****", "next", "again ****");
    }

    @Test
    void theBuildLogTakesARunOfLinesInOneWriteAndIsFlushed() {
        org.junit.jupiter.api.Assumptions.assumeTrue("\n".equals(System.lineSeparator()), "a '\\n' platform");
        List<String> calls = new ArrayList<>();
        java.io.PrintStream log = new java.io.PrintStream(java.io.OutputStream.nullOutputStream()) {
            @Override
            public void println(String x) {
                calls.add("println " + x);
            }

            @Override
            public void print(String s) {
                calls.add("print " + s);
            }

            @Override
            public void flush() {
                calls.add("flush");
            }
        };
        MaskingConsole console = new MaskingConsole(new BuildLogConsole(log), List.of("s3cr3t"));

        console.line("[ClearML] Task 'train'");
        console.lines("a s3cr3t\nb\nc\n");
        console.flush();
        console.flush(); // nothing written since: the log is not flushed again

        assertThat(calls).containsExactly("println [ClearML] Task 'train'", "print a ****\nb\nc\n", "flush");
    }
}
