package io.jenkins.plugins.clearml.container;

import java.time.Duration;
import java.util.List;

/**
 * The dead-man's switch of a docker-mode container, so that it outlives an agent that died without cleaning up
 * (SIGKILL, a crashed controller, a lost node agent) by at most {@code timeoutSeconds}: while the run site is open the
 * agent rewrites a heartbeat file every {@code heartbeatSeconds} ({@link Heartbeat}); the container's PID 1 is
 * {@link #SCRIPT}, which exits when the file's content has not changed for {@code timeoutSeconds}, and
 * {@code docker run --rm} then removes the container.
 *
 * <p>The script compares the file with its own previous read and counts its own sleeps, so it needs neither the
 * file's modification time ({@code stat} differs between busybox and GNU) nor clocks that agree: the value is
 * written by the agent's JVM, which may be a Jenkins controller on another machine than the container.
 *
 * @param timeoutSeconds   how long the container survives without a heartbeat ({@code agent.docker_orphan_timeout_sec})
 * @param heartbeatSeconds how often the agent writes one and the container looks
 *                         ({@code agent.docker_heartbeat_interval_sec})
 */
public record OrphanWatch(int timeoutSeconds, int heartbeatSeconds) {

    public static final String TIMEOUT_KEY = "agent.docker_orphan_timeout_sec";
    public static final String HEARTBEAT_KEY = "agent.docker_heartbeat_interval_sec";
    public static final OrphanWatch DEFAULT = new OrphanWatch(60, 5);
    static final int MAX_TIMEOUT_SECONDS = 86_400;

    /**
     * PID 1 of the container, in POSIX sh (dash, bash, busybox): {@code $0} the heartbeat file, {@code $1} the
     * timeout, {@code $2} the step, all in seconds. A missing file reads as empty, so a container that starts before
     * the first heartbeat waits a whole timeout too. SIGTERM ends it at once, so that {@code docker stop/rm} is fast.
     * Constant: no argument is interpolated.
     */
    static final String SCRIPT = "trap 'exit 0' TERM INT; f=$0 t=$1 s=$2; seen=$(cat \"$f\" 2>/dev/null); quiet=0; "
            + "while [ \"$quiet\" -lt \"$t\" ]; do sleep \"$s\" & wait $!; beat=$(cat \"$f\" 2>/dev/null); "
            + "if [ \"$beat\" = \"$seen\" ]; then quiet=$((quiet + s)); else seen=$beat; quiet=0; fi; done; "
            + "echo \"clearml-jenkins: no heartbeat from the agent for $quiet s in $f; stopping the container\" >&2; "
            + "exit 2";

    public OrphanWatch {
        if (heartbeatSeconds < 1) {
            throw new IllegalArgumentException(HEARTBEAT_KEY + " is " + heartbeatSeconds
                    + ": it must be at least 1 (seconds; default " + DEFAULT.heartbeatSeconds + ").");
        }
        if (timeoutSeconds <= 3 * heartbeatSeconds || timeoutSeconds > MAX_TIMEOUT_SECONDS) {
            throw new IllegalArgumentException(TIMEOUT_KEY + " is " + timeoutSeconds + ": it must be more than 3 times "
                    + HEARTBEAT_KEY + " (" + heartbeatSeconds + " s), so that a late heartbeat does not stop a "
                    + "running container, and at most " + MAX_TIMEOUT_SECONDS + " (seconds; default "
                    + DEFAULT.timeoutSeconds + ").");
        }
    }

    public Duration heartbeat() {
        return Duration.ofSeconds(heartbeatSeconds);
    }

    /** What follows the image in {@code docker run ... --entrypoint /bin/sh IMAGE}. */
    List<String> entrypointArguments(String heartbeatFile) {
        return List.of("-c", SCRIPT, heartbeatFile, Integer.toString(timeoutSeconds),
                Integer.toString(heartbeatSeconds));
    }
}
