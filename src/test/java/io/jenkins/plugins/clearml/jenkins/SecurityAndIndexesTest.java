package io.jenkins.plugins.clearml.jenkins;

import static org.assertj.core.api.Assertions.assertThat;

import hudson.Extension;
import io.jenkins.plugins.clearml.step.ClearmlExecuteStep;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.jenkinsci.Symbol;
import org.junit.jupiter.api.Test;
import org.kohsuke.stapler.verb.POST;

class SecurityAndIndexesTest {

    private static final List<Class<?>> WEB_METHOD_OWNERS = List.of(ClearmlGlobalConfiguration.class,
            ClearmlServer.DescriptorImpl.class, ClearmlExecuteStep.DescriptorImpl.class);

    /** Anything that reaches the network or reveals credentials must be POST (CSRF-protected) and check permissions. */
    @Test
    void webMethodsThatTouchTheNetworkOrCredentialsArePost() {
        int sensitive = 0;
        for (Class<?> owner : WEB_METHOD_OWNERS) {
            for (Method m : owner.getDeclaredMethods()) {
                String name = m.getName();
                boolean touches = name.startsWith("doTest") || name.startsWith("do") && name.contains("Credentials");
                if (touches) {
                    sensitive++;
                    assertThat(m.isAnnotationPresent(POST.class)).as(owner.getSimpleName() + "." + name).isTrue();
                }
            }
        }
        assertThat(sensitive).isEqualTo(4);
    }

    private static Set<String> compiledClasses() throws IOException {
        Path classes = Path.of("target/classes");
        try (Stream<Path> walk = Files.walk(classes)) {
            return walk.filter(p -> p.toString().endsWith(".class"))
                    .map(p -> classes.relativize(p).toString().replace('/', '.').replaceAll("\\.class$", ""))
                    .collect(java.util.stream.Collectors.toCollection(TreeSet::new));
        }
    }

    /** The @Symbol index is written by hand (annotation-indexer 1.4 fails on JDK 17): it must match the code. */
    @Test
    void theSymbolIndexListsExactlyTheAnnotatedClasses() throws Exception {
        Set<String> annotated = new TreeSet<>();
        for (String name : compiledClasses()) {
            if (Class.forName(name, false, getClass().getClassLoader()).isAnnotationPresent(Symbol.class)) {
                annotated.add(name);
            }
        }
        List<String> index = Files.readAllLines(Path.of("src/main/resources/META-INF/annotations/org.jenkinsci.Symbol"))
                .stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
        assertThat(annotated).isNotEmpty();
        assertThat(new TreeSet<>(index)).isEqualTo(annotated);
    }

    @Test
    void theConfigurationAsCodeNamesAreTheDocumentedOnes() {
        assertThat(ClearmlGlobalConfiguration.class.getAnnotation(Symbol.class).value()).containsExactly("clearml");
        assertThat(ClearmlGlobalConfiguration.class.isAnnotationPresent(Extension.class)).isTrue();
        assertThat(ClearmlServer.DescriptorImpl.class.isAnnotationPresent(Extension.class)).isTrue();
        assertThat(ClearmlExecuteStep.DescriptorImpl.class.isAnnotationPresent(Extension.class)).isTrue();
        assertThat(new ClearmlExecuteStep.DescriptorImpl().getFunctionName()).isEqualTo("clearmlExecute");
    }
}
