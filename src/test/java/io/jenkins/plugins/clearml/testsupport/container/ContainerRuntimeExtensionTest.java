package io.jenkins.plugins.clearml.testsupport.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContainerRuntimeExtensionTest {

    @Test
    void theSystemPropertyNamesSetupScriptFirst(@TempDir Path tmp) throws Exception {
        Path script = Files.writeString(tmp.resolve("setup.sh"), "#!/bin/bash\n");
        String before = System.getProperty(ContainerRuntimeExtension.SETUP_PROPERTY);
        System.setProperty(ContainerRuntimeExtension.SETUP_PROPERTY, script.toString());
        try {
            assertThat(ContainerRuntimeExtension.findSetupScript()).isEqualTo(script);
        } finally {
            if (before == null) {
                System.clearProperty(ContainerRuntimeExtension.SETUP_PROPERTY);
            } else {
                System.setProperty(ContainerRuntimeExtension.SETUP_PROPERTY, before);
            }
        }
    }
}
