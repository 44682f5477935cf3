package io.jenkins.plugins.clearml.container;

import io.jenkins.plugins.clearml.execution.RunSiteException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Decides which docker options a task may ask for, as the real agent's {@code agent.docker_args_filters} does, but
 * refusing instead of silently dropping: a task is data anyone with write access to the project can edit, and its
 * container arguments must not be a way to root the node.
 *
 * <p>Allowed without configuration: options that only shape the container itself ({@code --env}, {@code --shm-size},
 * {@code --memory}, {@code --ulimit}, named volumes, a bridge or custom {@code --network}...). Refused unless an
 * administrator pattern ({@link DockerSettings#allowedTaskArguments()}) matches the option's canonical form
 * ({@code --flag=value}, or {@code --flag} alone): {@code --privileged}, {@code --cap-add}, {@code --device},
 * host namespaces ({@code --network/--pid/--ipc/--uts host}), {@code --security-opt}, host-path mounts, and any option
 * not known to be safe. Options the agent itself controls ({@code --rm}, {@code -d}, {@code -i}, {@code -t},
 * {@code --name}) are dropped with a note.
 */
public final class DockerArgumentPolicy {

    private static final Set<String> AGENT_CONTROLLED = Set.of("--rm", "--detach", "--interactive", "--tty", "--name");

    /** Options the administrator's arguments win over: the task's copy is dropped when both set them. */
    private static final Set<String> PROTECTED = Set.of("--privileged", "--security-opt", "--network", "--ipc");

    private static final Set<String> SAFE = Set.of(
            "--env", "--label", "--shm-size", "--memory", "--memory-swap", "--memory-reservation", "--cpus",
            "--cpu-shares", "--cpuset-cpus", "--cpuset-mems", "--pids-limit", "--ulimit", "--tmpfs", "--workdir",
            "--user", "--hostname", "--add-host", "--dns", "--dns-search", "--dns-option", "--group-add", "--init",
            "--read-only", "--stop-signal", "--network", "--ipc", "--volume", "--mount");

    private final List<Pattern> allowed;

    public DockerArgumentPolicy(List<String> allowedPatterns) throws RunSiteException {
        List<Pattern> patterns = new ArrayList<>();
        for (String p : allowedPatterns) {
            try {
                patterns.add(Pattern.compile(p));
            } catch (PatternSyntaxException e) {
                throw new RunSiteException("invalid docker argument filter",
                        "The allowed docker argument pattern '" + p + "' is not a valid regular expression ("
                                + e.getDescription() + "). Fix agent.docker_args_filters in the agent configuration.");
            }
        }
        this.allowed = List.copyOf(patterns);
    }

    /**
     * Checks the task's arguments and returns those to pass on.
     *
     * @param trusted the administrator's arguments (never checked; they win over the task's protected options)
     * @param notes   receives one line per dropped argument
     * @throws RunSiteException naming the first refused argument
     */
    public List<DockerArgument> filter(List<DockerArgument> task, List<DockerArgument> trusted, Consumer<String> notes)
            throws RunSiteException {
        List<DockerArgument> kept = new ArrayList<>();
        for (DockerArgument a : task) {
            if (AGENT_CONTROLLED.contains(a.flag())) {
                notes.accept("Ignoring the task's docker argument " + String.join(" ", a.tokens())
                        + ": the agent manages the container's name and lifetime.");
                continue;
            }
            if (PROTECTED.contains(a.flag()) && trusted.stream().anyMatch(t -> t.flag().equals(a.flag()))) {
                notes.accept("Ignoring the task's docker argument " + a.canonical()
                        + ": the agent's configuration sets " + a.flag() + ".");
                continue;
            }
            String risk = risk(a);
            if (risk != null && !isAllowed(a)) {
                throw refused(a, risk);
            }
            kept.add(a);
        }
        return kept;
    }

    private boolean isAllowed(DockerArgument a) {
        return allowed.stream().anyMatch(p -> p.matcher(a.canonical()).matches() || p.matcher(a.flag()).matches());
    }

    /** Why the argument is dangerous, or {@code null} if it is safe. */
    static String risk(DockerArgument a) {
        if (!a.isOption()) {
            return "is not an option: the agent chooses the image and the command";
        }
        String flag = a.flag();
        String value = a.value() == null ? "" : a.value().trim();
        String lower = value.toLowerCase(Locale.ROOT);
        switch (flag) {
            case "--privileged":
                return "gives the container full access to the host";
            case "--cap-add":
                return "adds kernel capabilities to the container";
            case "--device":
            case "--device-cgroup-rule":
            case "--gpus":
                return "exposes host devices (the agent assigns GPUs itself)";
            case "--security-opt":
                return "changes the container's security profile";
            case "--pid":
            case "--uts":
            case "--userns":
            case "--cgroupns":
                return "shares a host namespace";
            case "--network":
            case "--ipc":
                if (lower.equals("host") || lower.startsWith("container:")) {
                    return "shares the host's (or another container's) " + flag.substring(2) + " namespace";
                }
                return null;
            case "--volume":
                return isHostPath(value.split(":", 2)[0]) ? "mounts a host path into the container" : null;
            case "--mount":
                return mountsHostPath(lower) ? "mounts a host path into the container" : null;
            case "--env-file":
                return "reads a file of the host";
            case "--label":
                return lower.startsWith("clearml-") ? "overrides a label the agent uses to find its containers" : null;
            default:
                return SAFE.contains(flag) ? null : "is not in the agent's list of safe docker arguments";
        }
    }

    private static boolean isHostPath(String source) {
        return source.isEmpty() || source.startsWith("/") || source.startsWith(".") || source.startsWith("~")
                || source.contains("/");
    }

    private static boolean mountsHostPath(String spec) {
        String type = "volume";
        for (String part : spec.split(",")) {
            String[] kv = part.split("=", 2);
            if (kv[0].trim().equals("type") && kv.length == 2) {
                type = kv[1].trim();
            }
        }
        return !(type.equals("volume") || type.equals("tmpfs"));
    }

    private static RunSiteException refused(DockerArgument a, String risk) {
        String shown = a.canonical();
        return new RunSiteException("docker argument refused: " + shown,
                "The task's docker argument '" + shown + "' is not allowed on this agent: it " + risk + ". "
                        + "Remove it from the task's container arguments, or ask the administrator to allow it "
                        + "(agent.docker_args_filters, e.g. '" + escapeForExample(a) + "').");
    }

    private static String escapeForExample(DockerArgument a) {
        return a.value() == null ? a.flag() : a.flag() + "=" + a.value().replaceAll("[.*+?^${}()|\\[\\]\\\\]", "\\\\$0");
    }
}
