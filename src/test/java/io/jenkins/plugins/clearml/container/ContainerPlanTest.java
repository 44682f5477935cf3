package io.jenkins.plugins.clearml.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.clearml.client.Task;
import io.jenkins.plugins.clearml.client.TaskContainer;
import io.jenkins.plugins.clearml.client.TaskStatus;
import io.jenkins.plugins.clearml.execution.ContainerOptions;
import io.jenkins.plugins.clearml.execution.RunSiteException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ContainerPlanTest {

    private static final DockerSettings SETTINGS = new DockerSettings("docker", "default/image:1",
            List.of("--shm-size", "1g"), List.of("--memory", "8g"), List.of(), List.of(), null, false);

    private static Task task(TaskContainer container) {
        return new Task("t1", "n", "p", TaskStatus.QUEUED, "", "", null, container, Map.of(), Map.of(), "", "");
    }

    private static List<String> words(List<DockerArgument> args) {
        return DockerArgument.words(args);
    }

    @Test
    void theFlagWinsAndTheTasksArgumentsAndScriptStillApply() throws RunSiteException {
        ContainerPlan plan = ContainerPlan.of(task(new TaskContainer("task/image", "-e A='x y'", "echo hi")),
                new ContainerOptions("flag/image"), SETTINGS);
        assertThat(plan.image()).isEqualTo("flag/image");
        assertThat(plan.source()).contains("command line");
        assertThat(words(plan.trustedArguments())).containsExactly("--memory", "8g");
        assertThat(words(plan.taskArguments())).containsExactly("-e", "A=x y");
        assertThat(plan.setupScript()).isEqualTo("echo hi");
    }

    @Test
    void theTasksImageWinsOverTheDefault() throws RunSiteException {
        ContainerPlan plan = ContainerPlan.of(task(new TaskContainer(" task/image ", "", "")),
                ContainerOptions.fromTaskOrDefault(), SETTINGS);
        assertThat(plan.image()).isEqualTo("task/image");
        assertThat(words(plan.trustedArguments())).containsExactly("--memory", "8g");
    }

    @Test
    void theDefaultImageBringsTheDefaultArguments() throws RunSiteException {
        ContainerPlan plan = ContainerPlan.of(task(TaskContainer.NONE), null, SETTINGS);
        assertThat(plan.image()).isEqualTo("default/image:1");
        assertThat(words(plan.trustedArguments())).containsExactly("--memory", "8g", "--shm-size", "1g");
        assertThat(plan.taskArguments()).isEmpty();
    }

    @Test
    void unreadableTaskArgumentsAreReportedWithoutTheirContent() {
        assertThatThrownBy(() -> ContainerPlan.of(task(new TaskContainer("i", "-e TOKEN='abc", "")), null, SETTINGS))
                .isInstanceOf(RunSiteException.class).hasMessageContaining("quoting")
                .hasMessageNotContaining("abc");
    }
}
