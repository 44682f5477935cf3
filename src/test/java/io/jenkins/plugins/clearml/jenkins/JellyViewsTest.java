package io.jenkins.plugins.clearml.jenkins;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The Jelly views and help files, read as Jenkins reads them: well-formed XML, every {@code field} bound to a
 * property of the class whose folder holds the view (a getter, and a constructor parameter or setter to bind it
 * back), a help file for every field, and every {@code ${it.x}} an existing property.
 */
class JellyViewsTest {

    private static final Path RESOURCES = Path.of("src/main/resources");

    private static List<Path> files(String suffix) throws IOException {
        try (Stream<Path> walk = Files.walk(RESOURCES)) {
            return walk.filter(p -> p.toString().endsWith(suffix)).sorted().toList();
        }
    }

    /** {@code io/x/Outer/Inner/config.jelly} belongs to {@code io.x.Outer$Inner}. */
    private static Class<?> owner(Path view) throws ClassNotFoundException {
        List<String> parts = new ArrayList<>();
        RESOURCES.relativize(view.getParent()).forEach(p -> parts.add(p.toString()));
        StringBuilder name = new StringBuilder();
        boolean inClass = false;
        for (String part : parts) {
            if (name.length() > 0) {
                name.append(inClass ? '$' : '.');
            }
            name.append(part);
            inClass |= Character.isUpperCase(part.charAt(0));
        }
        return Class.forName(name.toString());
    }

    private static Document parse(Path file) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        return factory.newDocumentBuilder().parse(file.toFile());
    }

    private static boolean hasGetter(Class<?> type, String property) {
        String cap = Character.toUpperCase(property.charAt(0)) + property.substring(1);
        for (String name : List.of("get" + cap, "is" + cap)) {
            try {
                Method m = type.getMethod(name);
                if (Modifier.isPublic(m.getModifiers()) && m.getReturnType() != void.class) {
                    return true;
                }
            } catch (NoSuchMethodException e) {
                // try the next form
            }
        }
        return false;
    }

    private static boolean isBindable(Class<?> type, String property) {
        for (Constructor<?> c : type.getConstructors()) {
            if (c.isAnnotationPresent(DataBoundConstructor.class)
                    && Arrays.stream(c.getParameters()).map(Parameter::getName).anyMatch(property::equals)) {
                return true;
            }
        }
        String setter = "set" + Character.toUpperCase(property.charAt(0)) + property.substring(1);
        return Arrays.stream(type.getMethods())
                .anyMatch(m -> m.getName().equals(setter) && m.isAnnotationPresent(DataBoundSetter.class));
    }

    @Test
    void everyViewIsWellFormedAndEscapesByDefault() throws Exception {
        List<Path> views = files(".jelly");
        assertThat(views).hasSizeGreaterThanOrEqualTo(7);
        for (Path view : views) {
            parse(view);
            assertThat(Files.readString(view)).as(view.toString()).startsWith("<?jelly escape-by-default='true'?>");
        }
    }

    @Test
    void everyHelpFileIsAWellFormedFragmentOfAnExistingField() throws Exception {
        List<Path> helps = files(".html");
        // + queue cloud (7 fields and help.html), queue template (6), node property (1)
        assertThat(helps).hasSize(4 + 5 + 6 + 2 + 8 + 6 + 1);
        for (Path help : helps) {
            Document doc = parse(help);
            assertThat(doc.getDocumentElement().getTagName()).isEqualTo("div");
            String file = help.getFileName().toString();
            if (file.startsWith("help-")) {
                String field = file.substring("help-".length(), file.length() - ".html".length());
                assertThat(hasGetter(owner(help), field)).as(help + " documents a field that does not exist").isTrue();
            }
        }
    }

    @Test
    void everyFormFieldIsAPropertyThatBindsBackAndHasHelp() throws Exception {
        int fields = 0;
        for (Path view : files("config.jelly")) {
            Class<?> type = owner(view);
            NodeList all = parse(view).getElementsByTagNameNS("*", "*");
            Set<String> seen = new LinkedHashSet<>();
            for (int i = 0; i < all.getLength(); i++) {
                String field = ((Element) all.item(i)).getAttribute("field");
                if (!field.isEmpty()) {
                    seen.add(field);
                }
            }
            for (String field : seen) {
                fields++;
                assertThat(hasGetter(type, field)).as(type.getName() + " has no getter for field " + field).isTrue();
                assertThat(isBindable(type, field)).as(type.getName() + " cannot bind field " + field).isTrue();
                assertThat(view.resolveSibling("help-" + field + ".html")).as("help for " + field).exists();
            }
        }
        assertThat(fields).isEqualTo(4 + 5 + 6 + 7 + 6 + 1); // + queue cloud, queue template, node property; the queue step has none
    }

    @Test
    void theConnectionTestSendsParametersTheDescriptorReads() throws Exception {
        Path view = RESOURCES.resolve("io/jenkins/plugins/clearml/jenkins/ClearmlServer/config.jelly");
        NodeList buttons = parse(view).getElementsByTagNameNS("/lib/form", "validateButton");
        assertThat(buttons.getLength()).isEqualTo(1);
        Element button = (Element) buttons.item(0);
        String method = "do" + Character.toUpperCase(button.getAttribute("method").charAt(0))
                + button.getAttribute("method").substring(1);
        Method target = Arrays.stream(ClearmlServer.DescriptorImpl.class.getMethods())
                .filter(m -> m.getName().equals(method)).findFirst().orElseThrow();
        List<String> parameters = Arrays.stream(target.getParameters())
                .filter(p -> p.isAnnotationPresent(QueryParameter.class)).map(Parameter::getName).toList();
        assertThat(parameters).containsExactlyInAnyOrder(button.getAttribute("with").split(","));
    }

    @Test
    void actionViewsOnlyReadExistingProperties() throws Exception {
        Map<String, Class<?>> variables = Map.of("it", ClearmlRunAction.class, "task", TaskRecord.class,
                "gpu", GpuUsageRecord.class);
        Pattern reference = Pattern.compile("\\$\\{!?(it|task|gpu)\\.([a-zA-Z]+)");
        int checked = 0;
        for (Path view : files(".jelly")) {
            if (!view.getParent().getFileName().toString().equals("ClearmlRunAction")) {
                continue;
            }
            Matcher m = reference.matcher(Files.readString(view));
            while (m.find()) {
                checked++;
                assertThat(hasGetter(variables.get(m.group(1)), m.group(2)))
                        .as(view.getFileName() + ": ${" + m.group(1) + "." + m.group(2) + "}").isTrue();
            }
        }
        assertThat(checked).isGreaterThan(20);
        assertThat(files(".jelly").stream().map(p -> p.getFileName().toString().toLowerCase(Locale.ROOT)))
                .contains("summary.jelly", "badge.jelly", "index.jelly");
    }
}
