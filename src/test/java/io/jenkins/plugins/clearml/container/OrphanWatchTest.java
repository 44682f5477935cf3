package io.jenkins.plugins.clearml.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.clearml.node.LocalNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The watchdog script under the node's own /bin/sh, fed by a real {@link Heartbeat}; no container needed. */
class OrphanWatchTest {

    @TempDir
    Path tmp;

    private Process watchdog(OrphanWatch watch, Path file) throws Exception {
        List<String> command = new ArrayList<>(List.of("/bin/sh"));
        command.addAll(watch.entrypointArguments(file.toString()));
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    @Test
    void withoutHeartbeatItExitsAfterTheTimeoutEvenIfTheFileNeverAppears() throws Exception {
        Process p = watchdog(new OrphanWatch(4, 1), tmp.resolve("never-written"));
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(2);
        assertThat(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                .contains("no heartbeat from the agent for 4 s");
    }

    @Test
    void heartbeatsKeepItAliveBeyondTheTimeoutAndItExitsWhenTheyStop() throws Exception {
        OrphanWatch watch = new OrphanWatch(4, 1);
        Path file = tmp.resolve("hb/beat");
        List<String> warnings = new ArrayList<>();
        Heartbeat heartbeat = new Heartbeat(LocalNode.get(), file.toString(), watch.heartbeat(), "test",
                warnings::add);
        heartbeat.beat();
        heartbeat.start();
        Process p = watchdog(watch, file);
        try {
            assertThat(p.waitFor(watch.timeoutSeconds() + 3, TimeUnit.SECONDS)).as("watchdog still running")
                    .isFalse();
            heartbeat.close();
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).isEqualTo(2);
            assertThat(warnings).isEmpty();
        } finally {
            heartbeat.close();
            p.destroyForcibly();
        }
    }

    @Test
    void sigtermEndsItAtOnce() throws Exception {
        Process p = watchdog(new OrphanWatch(600, 1), tmp.resolve("never-written"));
        awaitTermTrap(p);
        p.destroy();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
    }

    /** Until the shell catches SIGTERM (bit 15 of SigCgt in /proc), so that the signal does not come too early. */
    private static void awaitTermTrap(Process p) throws Exception {
        Path status = Path.of("/proc", Long.toString(p.pid()), "status");
        for (int i = 0; i < 300; i++) {
            String caught = Files.readAllLines(status).stream().filter(l -> l.startsWith("SigCgt:"))
                    .map(l -> l.substring("SigCgt:".length()).strip()).findFirst().orElse("0");
            if ((Long.parseUnsignedLong(caught, 16) & (1L << 14)) != 0) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the watchdog never installed its SIGTERM trap");
    }

    @Test
    void boundsNameTheKeys() {
        assertThatThrownBy(() -> new OrphanWatch(3, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(OrphanWatch.TIMEOUT_KEY + " is 3");
        assertThatThrownBy(() -> new OrphanWatch(OrphanWatch.MAX_TIMEOUT_SECONDS + 1, 5))
                .hasMessageContaining("at most " + OrphanWatch.MAX_TIMEOUT_SECONDS);
        assertThatThrownBy(() -> new OrphanWatch(60, 0)).hasMessageContaining(OrphanWatch.HEARTBEAT_KEY + " is 0");
        assertThat(new OrphanWatch(4, 1).entrypointArguments("/x/beat")).containsExactly("-c", OrphanWatch.SCRIPT,
                "/x/beat", "4", "1");
    }
}
