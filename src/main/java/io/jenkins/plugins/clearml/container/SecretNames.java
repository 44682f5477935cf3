package io.jenkins.plugins.clearml.container;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which environment variable names carry secrets: the real agent's {@code hide_docker_command_env_vars} list, names
 * that look secret, and the names an administrator adds ({@code CLEARML_AGENT_DOCKER_ARGS_HIDE_ENV}).
 */
public final class SecretNames {

    /** The real agent's default list. */
    public static final Set<String> AGENT_DEFAULTS = Set.of(
            "CLEARML_API_SECRET_KEY", "CLEARML_AGENT_GIT_PASS", "AWS_SECRET_ACCESS_KEY", "AZURE_STORAGE_KEY",
            "CLEARML_AUTH_TOKEN", "TRAINS_API_SECRET_KEY", "TRAINS_AGENT_GIT_PASS");

    private static final Pattern LOOKS_SECRET =
            Pattern.compile(".*(SECRET|PASSWORD|PASSWD|_PASS|TOKEN|_KEY|CREDENTIAL|PRIVATE|AUTH).*");

    private final Set<String> extra;

    public SecretNames(Collection<String> extraNames) {
        Set<String> names = new LinkedHashSet<>();
        for (String n : extraNames) {
            if (n != null && !n.isBlank()) {
                names.add(n.trim().toUpperCase(Locale.ROOT));
            }
        }
        this.extra = Set.copyOf(names);
    }

    /** Names from {@code CLEARML_AGENT_DOCKER_ARGS_HIDE_ENV}: separated by spaces or commas. */
    public static Set<String> parseList(String value) {
        Set<String> out = new LinkedHashSet<>();
        if (value != null) {
            for (String n : value.split("[\\s,]+")) {
                if (!n.isBlank()) {
                    out.add(n);
                }
            }
        }
        return out;
    }

    public boolean isSecret(String name) {
        String upper = name.toUpperCase(Locale.ROOT);
        return AGENT_DEFAULTS.contains(upper) || extra.contains(upper) || LOOKS_SECRET.matcher(upper).matches();
    }
}
