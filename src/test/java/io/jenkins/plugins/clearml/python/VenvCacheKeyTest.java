package io.jenkins.plugins.clearml.python;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class VenvCacheKeyTest {

    private static final List<String> PIP = List.of("numpy==1.26.4", "tinypkg==1.0");

    private static String key(String context, String cuda, String python, List<String> pip, List<String> conda) {
        return VenvCacheKey.of(context, cuda, python, pip, conda);
    }

    @Test
    void isTheMd5OfTheAgentsKeyText() {
        // md5("pip\nimage:1\n12.1\n3.10\nnumpy==1.26.4\ntinypkg==1.0\n"), computed with Python's hashlib.
        assertThat(key("image:1", "12.1", "3.10", PIP, List.of()))
                .isEqualTo("f4c614f270bfe8f05fd532feadcff192");
    }

    @Test
    void ignoresOrderCommentsBlankLinesAndSurroundingSpaces() {
        assertThat(key("", "", "3.11", List.of("  tinypkg==1.0 ", "# pinned by the SDK", "", "numpy==1.26.4"),
                List.of())).isEqualTo(key("", "", "3.11", PIP, List.of()));
    }

    @Test
    void changesWithEveryPartOfTheKey() {
        String base = key("", "", "3.11", PIP, List.of());
        assertThat(List.of(
                key("nvidia/cuda:12.1", "", "3.11", PIP, List.of()),
                key("", "12.1", "3.11", PIP, List.of()),
                key("", "", "3.10", PIP, List.of()),
                key("", "", "3.11", List.of("numpy==1.26.4", "tinypkg==2.0"), List.of()),
                key("", "", "3.11", PIP, List.of("cudatoolkit=11.8"))))
                .doesNotContain(base).doesNotHaveDuplicates();
    }

    @Test
    void requirementsThatReadOtherFilesOrMovingBranchesAreNotCacheable() {
        assertThat(Requirements.cacheable(PIP)).isTrue();
        assertThat(Requirements.cacheable(List.of("tinypkg @ git+https://h/r.git@" + "a".repeat(40)))).isTrue();
        for (String line : List.of("-r other.txt", "--requirement=other.txt", "-c constraints.txt", "-e .",
                "./libs/mine", "/abs/wheel.whl", "file:///tmp/x.whl", "git+https://h/r.git@main",
                "tinypkg @ git+https://h/r.git")) {
            assertThat(Requirements.cacheable(List.of("numpy", line))).as(line).isFalse();
        }
    }
}
