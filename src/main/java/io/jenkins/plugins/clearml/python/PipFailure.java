package io.jenkins.plugins.clearml.python;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Turns a failed {@code pip install} into one message naming the requirement at fault and what to check. */
final class PipFailure {

    static final String STATUS_REASON = "failed installing requirements";
    static final String INVALID_STATUS_REASON = "invalid requirements";

    private static final Pattern NO_DISTRIBUTION = Pattern.compile("No matching distribution found for (\\S+)");
    private static final Pattern NO_VERSION =
            Pattern.compile("Could not find a version that satisfies the requirement (\\S+)");
    private static final Pattern INVALID = Pattern.compile("Invalid requirement: '?(.*?)'?( \\(from line.*)?$");
    private static final Pattern BUILD_FAILED = Pattern.compile("Failed to build (.+)$|"
            + "(?:Failed building wheel|Building wheel) for (\\S+).*(?:did not run successfully|error)");
    private static final Pattern CONFLICT = Pattern.compile("ResolutionImpossible|conflicting dependencies");
    private static final int QUOTED_LINES = 15;

    private PipFailure() {
    }

    static EnvironmentException from(List<String> tail, String origin) {
        String quoted = quote(tail);
        for (String line : tail) {
            Matcher invalid = INVALID.matcher(line);
            if (invalid.find()) {
                return new EnvironmentException(INVALID_STATUS_REASON,
                        "The requirements (" + origin + ") contain a line pip cannot parse: '" + invalid.group(1)
                                + "'. Fix the task's requirements (or the requirements.txt) and run it again.\n"
                                + "pip said:\n" + quoted);
            }
        }
        String missing = firstGroup(NO_DISTRIBUTION, tail);
        if (missing == null) {
            missing = firstGroup(NO_VERSION, tail);
        }
        if (missing != null) {
            return new EnvironmentException(STATUS_REASON,
                    "pip could not find the requirement '" + missing + "' (from " + origin + "). Check that the "
                            + "package index or mirror this node uses has it: pip.conf, PIP_INDEX_URL, "
                            + "PIP_EXTRA_INDEX_URL, PIP_FIND_LINKS, PIP_NO_INDEX and "
                            + "agent.package_manager.extra_index_url.\npip's last lines:\n" + quoted);
        }
        if (tail.stream().anyMatch(l -> CONFLICT.matcher(l).find())) {
            return new EnvironmentException(STATUS_REASON,
                    "pip found no set of versions that satisfies all the requirements (from " + origin
                            + "): relax the conflicting pins it names below.\npip's last lines:\n" + quoted);
        }
        String build = firstGroup(BUILD_FAILED, tail);
        if (build != null) {
            return new EnvironmentException(STATUS_REASON,
                    "pip could not build '" + build.strip() + "' (from " + origin + "): a compiler, header "
                            + "files or a wheel for this Python version may be missing on the node.\n"
                            + "pip's last lines:\n" + quoted);
        }
        return new EnvironmentException(STATUS_REASON,
                "pip install failed for the requirements from " + origin + ".\npip's last lines:\n" + quoted);
    }

    private static String firstGroup(Pattern pattern, List<String> lines) {
        for (String line : lines) {
            Matcher m = pattern.matcher(line);
            if (m.find()) {
                for (int g = 1; g <= m.groupCount(); g++) {
                    if (m.group(g) != null) {
                        return m.group(g);
                    }
                }
            }
        }
        return null;
    }

    static String quote(List<String> tail) {
        List<String> last = tail.subList(Math.max(0, tail.size() - QUOTED_LINES), tail.size());
        StringBuilder sb = new StringBuilder();
        for (String line : last) {
            sb.append("  | ").append(line).append('\n');
        }
        return sb.toString().stripTrailing();
    }
}
