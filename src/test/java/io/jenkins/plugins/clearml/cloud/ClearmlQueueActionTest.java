package io.jenkins.plugins.clearml.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import hudson.model.Action;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which queue items Jenkins folds into one: only two for the same task of the same cloud. */
class ClearmlQueueActionTest {

    private static final ClearmlQueueAction TASK_A = new ClearmlQueueAction("prod", "a", "train", "gpu");

    @Test
    void itemsForDifferentTasksAreNeverFolded() {
        assertThat(TASK_A.shouldSchedule(List.of(new ClearmlQueueAction("prod", "b", "train", "gpu")))).isTrue();
    }

    @Test
    void theSameTaskIdFromAnotherCloudIsAnotherItem() {
        assertThat(TASK_A.shouldSchedule(List.of(new ClearmlQueueAction("staging", "a", "train", "gpu")))).isTrue();
    }

    @Test
    void theSameTaskOfTheSameCloudIsFolded() {
        // e.g. an item restored from queue.xml, and the task popped again after the journal returned it
        assertThat(TASK_A.shouldSchedule(List.of(other(), new ClearmlQueueAction("prod", "a", "other", "")))).isFalse();
    }

    @Test
    void anItemWithoutATaskIsAnotherItem() {
        // a build started by hand, next to a queued task
        assertThat(TASK_A.shouldSchedule(List.of(other()))).isTrue();
        assertThat(TASK_A.shouldSchedule(List.of())).isTrue();
    }

    @Test
    void invisibleAndCarriesWhatTheBuildNeeds() {
        assertThat(TASK_A.getUrlName()).isNull();
        assertThat(TASK_A.getIconFileName()).isNull();
        assertThat(List.of(TASK_A.getCloud(), TASK_A.getTaskId(), TASK_A.getQueue(), TASK_A.getLabel()))
                .containsExactly("prod", "a", "train", "gpu");
        assertThat(new ClearmlQueueAction("prod", "a", "train", null).getLabel()).isEmpty();
    }

    private static Action other() {
        return new Action() {
            @Override
            public String getIconFileName() {
                return null;
            }

            @Override
            public String getDisplayName() {
                return "cause";
            }

            @Override
            public String getUrlName() {
                return null;
            }
        };
    }
}
