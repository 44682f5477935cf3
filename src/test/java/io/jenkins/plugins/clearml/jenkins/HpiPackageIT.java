package io.jenkins.plugins.clearml.jenkins;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.jar.Attributes;
import java.util.jar.JarInputStream;
import java.util.jar.Manifest;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import net.java.sezpoz.impl.SerAnnotatedElement;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Opens target/clearml.hpi as Jenkins' plugin manager does (runs in the verify phase, after package): manifests,
 * layout, bundled libraries, and the extension and symbol indexes with the classes and views they name.
 */
class HpiPackageIT {

    private static final Path HPI = Path.of("target/clearml.hpi");
    private static final String PLUGIN_JAR = "WEB-INF/lib/clearml.jar";

    private static Manifest outer;
    private static Manifest inner;
    private static Map<String, byte[]> jar;
    private static List<String> hpiEntries;

    @BeforeAll
    static void open() throws IOException {
        assertThat(HPI).as("run mvn package first").exists();
        try (ZipFile zip = new ZipFile(HPI.toFile())) {
            hpiEntries = new ArrayList<>();
            for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
                hpiEntries.add(e.nextElement().getName());
            }
            try (InputStream in = zip.getInputStream(zip.getEntry("META-INF/MANIFEST.MF"))) {
                outer = new Manifest(in);
            }
            ZipEntry pluginJar = zip.getEntry(PLUGIN_JAR);
            assertThat(pluginJar).as(PLUGIN_JAR).isNotNull();
            jar = new TreeMap<>();
            try (JarInputStream in = new JarInputStream(zip.getInputStream(pluginJar))) {
                inner = in.getManifest();
                for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                    jar.put(e.getName(), in.readAllBytes());
                }
            }
        }
    }

    @Test
    void theOuterManifestDescribesThePluginForJenkins() {
        Attributes a = outer.getMainAttributes();
        assertThat(a.getValue("Short-Name")).isEqualTo("clearml");
        assertThat(a.getValue("Long-Name")).isEqualTo("ClearML for Jenkins");
        assertThat(a.getValue("Plugin-Version")).isNotBlank();
        assertThat(a.getValue("Jenkins-Version")).isEqualTo("2.479.3");
        assertThat(a.getValue("Url")).startsWith("https://");
        assertThat(a.getValue("Minimum-Java-Version")).isNull();
        String dependencies = a.getValue("Plugin-Dependencies");
        Pattern one = Pattern.compile("[a-z0-9-]+:[A-Za-z0-9._-]+(;resolution:=optional)?");
        assertThat(dependencies.split(",")).allSatisfy(d -> assertThat(d).matches(one));
        assertThat(dependencies).contains("workflow-step-api:710.v3e456cc85233", "credentials:1453.v9b_a_29777a_b_fd",
                "structs:", "jackson2-api:", "okhttp-api:");
    }

    @Test
    void theInnerJarLooksLikeAPluginToTheClassFilter() {
        Attributes a = inner.getMainAttributes();
        assertThat(a.getValue("Short-Name")).isEqualTo("clearml");
        assertThat(a.getValue("Plugin-Version")).isEqualTo(outer.getMainAttributes().getValue("Plugin-Version"));
        assertThat(a.getValue("Jenkins-Version")).isEqualTo("2.479.3");
    }

    @Test
    void onlyLibrariesNoApiPluginProvidesAreBundled() {
        List<String> libs = hpiEntries.stream().filter(n -> n.startsWith("WEB-INF/lib/") && n.endsWith(".jar")).toList();
        assertThat(libs).contains(PLUGIN_JAR).anyMatch(n -> n.matches("WEB-INF/lib/config-[\\d.]+\\.jar"));
        assertThat(libs).noneMatch(n -> n.matches(".*/(jackson|okhttp|okio|kotlin|jna|picocli|sezpoz|spring|guava).*"));
        assertThat(hpiEntries).contains("images/clearml.svg").noneMatch(n -> n.startsWith("WEB-INF/classes/"));
    }

    @Test
    void thePluginJarHoldsOnlyThePluginsOwnClassesNeverTheShim() {
        assertThat(jar.keySet()).filteredOn(n -> n.endsWith(".class"))
                .isNotEmpty()
                .allMatch(n -> n.startsWith("io/jenkins/plugins/clearml/"), "a class of the plugin's package");
        assertThat(jar).containsKeys("index.jelly", "META-INF/annotations/org.jenkinsci.Symbol",
                "io/jenkins/plugins/clearml/jenkins/ClearmlRunAction/summary.jelly",
                "io/jenkins/plugins/clearml/jenkins/ClearmlRunAction/badge.jelly");
    }

    private static List<SerAnnotatedElement> extensionIndex() throws Exception {
        byte[] index = jar.get("META-INF/annotations/hudson.Extension");
        assertThat(index).as("SezPoz index").isNotNull();
        List<SerAnnotatedElement> elements = new ArrayList<>();
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(index))) {
            for (Object o = in.readObject(); o != null; o = in.readObject()) {
                elements.add((SerAnnotatedElement) o);
            }
        }
        return elements;
    }

    @Test
    void everyExtensionIsIndexedAndExistsWithItsViews() throws Exception {
        List<SerAnnotatedElement> index = extensionIndex();
        List<String> names = index.stream().map(e -> e.className).toList();
        assertThat(names).contains(
                "io.jenkins.plugins.clearml.jenkins.ClearmlGlobalConfiguration",
                "io.jenkins.plugins.clearml.jenkins.ClearmlServer$DescriptorImpl",
                "io.jenkins.plugins.clearml.step.ClearmlExecuteStep$DescriptorImpl",
                "io.jenkins.plugins.clearml.cloud.ClearmlQueueCloud$DescriptorImpl",
                "io.jenkins.plugins.clearml.cloud.QueueTemplate$DescriptorImpl",
                "io.jenkins.plugins.clearml.cloud.ClearmlQueueBuilder$DescriptorImpl",
                "io.jenkins.plugins.clearml.cloud.ClearmlNodeProperty$DescriptorImpl",
                "io.jenkins.plugins.clearml.cloud.GpuQueueTaskDispatcher",
                "io.jenkins.plugins.clearml.cloud.QueueCloudReconciler",
                "io.jenkins.plugins.clearml.cloud.QueueCloudReconciler$OnShutdown");
        for (SerAnnotatedElement e : index) {
            assertThat(e.memberName).as("indexed classes, not members").isNull();
            assertThat(jar).as(e.className).containsKey(e.className.replace('.', '/') + ".class");
            // A descriptor's form is the config.jelly of the class it describes (the outer class of DescriptorImpl);
            // a global configuration is its own descriptor. Other extensions (queue dispatchers, periodic work) have
            // no form.
            boolean hasForm = e.className.endsWith("$DescriptorImpl") || e.className.endsWith("GlobalConfiguration");
            if (hasForm) {
                String describable = e.className.replaceAll("\\$DescriptorImpl$", "");
                assertThat(jar).as("form of " + e.className)
                        .containsKey(describable.replace('.', '/').replace('$', '/') + "/config.jelly");
            }
        }
    }

    @Test
    void everyClassTheSymbolIndexNamesExists() {
        String index = new String(jar.get("META-INF/annotations/org.jenkinsci.Symbol"), StandardCharsets.UTF_8);
        Set<String> named = Set.copyOf(index.lines().map(String::trim).filter(s -> !s.isEmpty()).toList());
        assertThat(named).contains("io.jenkins.plugins.clearml.jenkins.ClearmlGlobalConfiguration");
        assertThat(named).allSatisfy(n -> assertThat(jar).containsKey(n.replace('.', '/') + ".class"));
    }
}
