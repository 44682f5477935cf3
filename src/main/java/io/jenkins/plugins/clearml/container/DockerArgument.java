package io.jenkins.plugins.clearml.container;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One {@code docker run} option as written in an argument list, with its flag in canonical long form
 * ({@code -e} becomes {@code --env}) and its value ({@code null} for a switch such as {@code --privileged}).
 *
 * @param flag   canonical flag, e.g. {@code --volume}; for a word that is not an option, the word itself
 * @param value  the option's value, or {@code null}
 * @param tokens the argument-vector words it came from, unchanged
 */
public record DockerArgument(String flag, String value, List<String> tokens) {

    private static final Map<String, String> SHORT = Map.ofEntries(
            Map.entry("-e", "--env"), Map.entry("-v", "--volume"), Map.entry("-l", "--label"),
            Map.entry("-m", "--memory"), Map.entry("-w", "--workdir"), Map.entry("-u", "--user"),
            Map.entry("-h", "--hostname"), Map.entry("-p", "--publish"), Map.entry("-c", "--cpu-shares"),
            Map.entry("-d", "--detach"), Map.entry("-i", "--interactive"), Map.entry("-t", "--tty"),
            Map.entry("-P", "--publish-all"), Map.entry("-q", "--quiet"), Map.entry("--net", "--network"));

    /** docker run options that are switches: anything else that starts with '-' takes a value. */
    private static final Set<String> SWITCHES = Set.of(
            "--privileged", "--init", "--read-only", "--rm", "--detach", "--interactive", "--tty", "--no-healthcheck",
            "--oom-kill-disable", "--publish-all", "--quiet", "--sig-proxy", "--disable-content-trust", "--help");

    public DockerArgument {
        tokens = List.copyOf(tokens);
    }

    public boolean isOption() {
        return flag.startsWith("-");
    }

    /** {@code --flag=value}, or {@code --flag} for a switch: the form that allow-list patterns are matched against. */
    public String canonical() {
        return value == null ? flag : flag + "=" + value;
    }

    /** Parses an argument vector of docker options; a value is taken from {@code --flag=value} or the next word. */
    public static List<DockerArgument> parse(List<String> words) {
        List<DockerArgument> out = new ArrayList<>();
        for (int i = 0; i < words.size(); i++) {
            String word = words.get(i);
            if (!word.startsWith("-") || word.equals("-") || word.equals("--")) {
                out.add(new DockerArgument(word, null, List.of(word)));
                continue;
            }
            String name = word;
            String inline = null;
            int eq = word.indexOf('=');
            if (word.startsWith("--") && eq > 0) {
                name = word.substring(0, eq);
                inline = word.substring(eq + 1);
            } else if (!word.startsWith("--") && word.length() > 2) {
                // -eNAME=v or a bundle of switches such as -it
                String head = word.substring(0, 2);
                String canonicalHead = SHORT.getOrDefault(head, head);
                if (SWITCHES.contains(canonicalHead)) {
                    for (char c : word.substring(1).toCharArray()) {
                        String s = "-" + c;
                        String canonical = SHORT.getOrDefault(s, s);
                        out.add(new DockerArgument(canonical, null, List.of(s)));
                    }
                    continue;
                }
                name = head;
                inline = word.substring(2);
                if (inline.startsWith("=")) {
                    inline = inline.substring(1);
                }
            }
            String flag = SHORT.getOrDefault(name, name);
            if (inline != null) {
                out.add(new DockerArgument(flag, inline, List.of(word)));
            } else if (SWITCHES.contains(flag)) {
                out.add(new DockerArgument(flag, null, List.of(word)));
            } else if (i + 1 < words.size()) {
                out.add(new DockerArgument(flag, words.get(i + 1), List.of(word, words.get(i + 1))));
                i++;
            } else {
                out.add(new DockerArgument(flag, "", List.of(word)));
            }
        }
        return out;
    }

    /** The words of several arguments, in order. */
    public static List<String> words(List<DockerArgument> arguments) {
        List<String> out = new ArrayList<>();
        for (DockerArgument a : arguments) {
            out.addAll(a.tokens());
        }
        return out;
    }
}
