package io.jenkins.plugins.clearml.testsupport.python;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * The pip configuration of a node whose only package source is a local find-links folder: no pip.conf, no index.
 * These are the user's own pip settings, as an administrator would set them on an offline build agent.
 */
public final class OfflinePip {

    private OfflinePip() {
    }

    /** {@code PIP_CONFIG_FILE=/dev/null}, {@code PIP_NO_INDEX=1}, {@code PIP_FIND_LINKS=<wheels>}. */
    public static Map<String, String> environment(Path wheels) {
        return Map.of(
                "PIP_CONFIG_FILE", "/dev/null",
                "PIP_NO_INDEX", "1",
                "PIP_FIND_LINKS", wheels.toAbsolutePath().toString(),
                "PIP_DISABLE_PIP_VERSION_CHECK", "1");
    }

    /**
     * Writes tinypkg 1.0 and 2.0 and tinydep 1.0 (which needs tinypkg==1.0) into {@code wheels}, and returns a node
     * whose only package source, through its own pip configuration, is that folder.
     */
    public static NodeWithEnvironment nodeWithTinyPackages(Path wheels) throws IOException {
        TinyWheels.write(wheels, "tinypkg", "1.0");
        TinyWheels.write(wheels, "tinypkg", "2.0");
        TinyWheels.write(wheels, "tinydep", "1.0", "tinypkg==1.0");
        return NodeWithEnvironment.of(environment(wheels));
    }
}
