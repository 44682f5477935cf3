package io.jenkins.plugins.clearml.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.clearml.dispatch.DispatchTemplate;
import io.jenkins.plugins.clearml.dispatch.QueueRef;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The form's values become the dispatch core's template as the help texts say. */
class QueueTemplateTest {

    @Test
    void queuesAreReadInOrderWhateverTheSeparators() {
        QueueTemplate t = new QueueTemplate(" train-high,train\n  nightly ", "gpu && a100");
        assertThat(t.queueList()).containsExactly("train-high", "train", "nightly");
        assertThat(t.displayName()).isEqualTo("train-high,train,nightly → gpu && a100");
    }

    @Test
    void dockerModeOnlyWhenTicked() {
        QueueTemplate t = new QueueTemplate("q", "");
        t.setDockerImage("img:1");
        List<QueueRef> q = List.of(new QueueRef("id1", "q"));
        assertThat(t.toDispatchTemplate(q).dockerMode()).isFalse();
        t.setDocker(true);
        DispatchTemplate docker = t.toDispatchTemplate(q);
        assertThat(docker.dockerImage()).isEqualTo("img:1");
        t.setDockerImage(" ");
        assertThat(t.toDispatchTemplate(q).dockerImage()).isEmpty(); // the task's own image, then the default
    }

    @Test
    void defaultsAndBounds() {
        QueueTemplate t = new QueueTemplate("q", null);
        assertThat(t.getGpusPerTask()).isEqualTo(1);
        t.setGpusPerTask(-3);
        t.setMaxConcurrent(-1);
        DispatchTemplate d = t.toDispatchTemplate(List.of(new QueueRef("id1", "q")));
        assertThat(d.gpusPerTask()).isZero();
        assertThat(d.maxConcurrent()).isZero();
        assertThat(d.label()).isEmpty();
    }
}
