package io.jenkins.plugins.clearml.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What the build history and build page say about a queue cloud build. */
class QueueBuildTextTest {

    @Test
    void theHistoryShowsTheTasksNameElseItsId() {
        assertThat(QueueBuildText.displayName(12, "train resnet", "abc123")).isEqualTo("#12 train resnet");
        assertThat(QueueBuildText.displayName(3, " ", "abc123")).isEqualTo("#3 abc123");
    }

    @Test
    void theDescriptionNamesTaskQueueCloudAndWorker() {
        assertThat(QueueBuildText.description("abc123", "train", "gpu-high", "prod", "n1:gpu0"))
                .isEqualTo("ClearML task abc123 'train' from queue gpu-high (ClearML Queue Cloud 'prod'), worker n1:gpu0");
        assertThat(QueueBuildText.description("abc123", null, "q", "c", "w")).startsWith("ClearML task abc123 from queue q");
    }

    @Test
    void theCauseReadsLikeJenkinsOwnCauses() {
        assertThat(new ClearmlQueueCause("prod", "abc123", "train").getShortDescription())
                .isEqualTo("Started by ClearML Queue Cloud 'prod': task abc123 from queue train");
    }

    @Test
    void aBuildWithoutALiveRunSaysWhyInOneLine() {
        assertThat(QueueBuildText.noLiveRun("prod", "abc123")).contains("abc123", "'prod'", "left to the cloud")
                .doesNotContain("\n");
        assertThat(QueueBuildText.noLiveRun(null, null)).contains("started by hand");
    }
}
